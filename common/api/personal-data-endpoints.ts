/** The client API's routes of personal data asked of a customer (common/api/personal-data.ts). */
import { jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';
import { ConsentView, ContactPersonalData, PersonalDataExport, RecordConsentBody } from './personal-data.js';

export const PERSONAL_DATA_ENDPOINTS = {
  conversationPersonalData: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/personal-data',
    summary:
      'What personal data was asked of the conversation’s customer and why (kinds, purpose, who, when), and their answers on promotions; by anyone who may see the conversation; never the data itself',
    tag: 'personal-data',
    access: 'inbox',
    params: IdParams,
    response: ContactPersonalData,
  }),
  recordConsent: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/personal-data/consent',
    summary:
      'Record the customer’s answer to being sent promotions (yes or no, and the wording they were asked with), on the contact; by anyone who may see the conversation; audited',
    tag: 'personal-data',
    access: 'inbox',
    params: IdParams,
    body: RecordConsentBody,
    response: ConsentView,
    successStatus: 201,
  }),
  exportContactPersonalData: jsonRoute({
    method: 'GET',
    url: '/v1/admin/contacts/:id/personal-data',
    summary:
      'A data-subject export: the contact, every request for personal data made of them (kinds, purpose, who, when) and their consent answers; by an administrator; audited',
    tag: 'admin',
    access: 'admin',
    params: IdParams,
    response: PersonalDataExport,
  }),
};
