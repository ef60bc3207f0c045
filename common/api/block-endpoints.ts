/** The client API's routes that block and unblock a conversation's customer on its business number (common/api/blocks.ts). */
import { BlockCustomerBody, UnblockCustomerBody } from './blocks.js';
import { jsonRoute } from './endpoint.js';
import { ConversationChanged, IdParams } from './inbox.js';

export const BLOCK_ENDPOINTS = {
  blockCustomer: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/block',
    summary:
      'Block the conversation’s customer on its business number, with a reason (3–500 characters): their messages are kept but stop routing and notifying, nothing can be sent to them, and the number blocks them on WhatsApp where it supports it; by anyone who may see the conversation; audited, and on the event feed',
    tag: 'blocks',
    access: 'inbox',
    params: IdParams,
    body: BlockCustomerBody,
    response: ConversationChanged,
  }),
  unblockCustomer: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/unblock',
    summary:
      'Unblock the conversation’s customer on its business number (and on WhatsApp); by a supervisor of the conversation’s team; audited, and on the event feed',
    tag: 'blocks',
    access: 'inbox',
    params: IdParams,
    body: UnblockCustomerBody,
    response: ConversationChanged,
  }),
};
