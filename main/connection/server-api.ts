/**
 * The client API of the inbox server, as main calls it: typed methods over the pinned HTTPS
 * connection, each response checked against the shared schemas, and device proofs made with the
 * workstation's key over a fresh nonce wherever the server asks for one.
 */
import { z } from 'zod';
import { AgentView, DeviceList, DeviceView, EnrollmentIssued, PairingForApproval } from '../../common/api/admin.js';
import type { DeviceProof, ProofPurpose } from '../../common/api/device-proof.js';
import { NonceGrant } from '../../common/api/device-proof.js';
import { ConversationPage, ConversationSummary, MarkedRead, MediaUploaded, MessagePage, SendAccepted } from '../../common/api/inbox.js';
import type { ConversationFilter } from '../../common/api/inbox.js';
import { DeviceState, PairingCodeGrant, PairingStarted, PairingState } from '../../common/api/pairing.js';
import type { PairingRequest } from '../../common/api/pairing.js';
import { EnrollmentCompleted, EnrollmentStarted, SessionGrant } from '../../common/api/session.js';
import type { SecondFactor } from '../../common/api/session.js';
import type { SendRequestInput } from '../../common/messages/send-request.js';
import type { DeviceKey } from '../device/device-key.js';
import type { HttpsTarget } from './https-json.js';
import { errorOf, requestJson, requestRaw } from './https-json.js';

const Nothing = z.undefined();

export class ServerApi {
  readonly target: HttpsTarget;
  readonly #machineId: string;
  readonly #key: DeviceKey;

  constructor(target: HttpsTarget, machineId: string, key: DeviceKey) {
    this.target = target;
    this.#machineId = machineId;
    this.#key = key;
  }

  async proof(purpose: ProofPurpose, binding = ''): Promise<DeviceProof> {
    const { nonce } = await requestJson(this.target, { method: 'POST', path: '/v1/auth/nonce' }, NonceGrant);
    return this.#key.prove(purpose, this.#machineId, nonce, binding);
  }

  // Pairing --------------------------------------------------------------------------------

  async deviceStatus(): Promise<DeviceState> {
    return requestJson(this.target, { method: 'POST', path: '/v1/device/status', json: { proof: await this.proof('device.status') } }, DeviceState);
  }

  /** Signed, so that asking again after a restart replaces this install's own earlier request. */
  async requestPairing(details: Omit<PairingRequest, 'machineId' | 'publicKey' | 'proof'>): Promise<PairingStarted> {
    const json = { ...details, machineId: this.#machineId, publicKey: this.#key.publicKey, proof: await this.proof('pairing.request') };
    return requestJson(this.target, { method: 'POST', path: '/v1/pairings', json }, PairingStarted);
  }

  async rotatePairingCode(pairingId: number): Promise<PairingCodeGrant> {
    return requestJson(this.target, { method: 'POST', path: `/v1/pairings/${pairingId}/code`, json: { proof: await this.proof('pairing.code', String(pairingId)) } }, PairingCodeGrant);
  }

  async pairingStatus(pairingId: number): Promise<PairingState> {
    return requestJson(this.target, { method: 'POST', path: `/v1/pairings/${pairingId}/status`, json: { proof: await this.proof('pairing.status', String(pairingId)) } }, PairingState);
  }

  // Enrollment and sessions ------------------------------------------------------------------

  async startEnrollment(input: { username: string; enrollmentCode: string; newPassword: string }): Promise<EnrollmentStarted> {
    return requestJson(this.target, { method: 'POST', path: '/v1/enrollment', json: { ...input, proof: await this.proof('enrollment.start', input.username) } }, EnrollmentStarted);
  }

  async confirmEnrollment(enrollmentId: string, code: string): Promise<EnrollmentCompleted> {
    return requestJson(this.target, { method: 'POST', path: '/v1/enrollment/confirm', json: { enrollmentId, code, proof: await this.proof('enrollment.confirm', enrollmentId) } }, EnrollmentCompleted);
  }

  async login(input: { username: string; password: string; secondFactor: SecondFactor }): Promise<SessionGrant> {
    return requestJson(this.target, { method: 'POST', path: '/v1/sessions', json: { ...input, proof: await this.proof('login', input.username) } }, SessionGrant);
  }

  async refresh(refreshToken: string): Promise<SessionGrant> {
    return requestJson(this.target, { method: 'POST', path: '/v1/sessions/refresh', json: { refreshToken, proof: await this.proof('refresh') } }, SessionGrant);
  }

  async unlock(token: string, secondFactor: SecondFactor): Promise<void> {
    await requestJson(this.target, { method: 'POST', path: '/v1/sessions/current/unlock', token, json: { secondFactor, proof: await this.proof('unlock') } }, Nothing);
  }

  async logout(token: string): Promise<void> {
    await requestJson(this.target, { method: 'DELETE', path: '/v1/sessions/current', token }, Nothing);
  }

  // Inbox ------------------------------------------------------------------------------------

  conversations(token: string, query: { filter: ConversationFilter; cursor?: string | undefined; limit?: number | undefined }): Promise<ConversationPage> {
    const search = new URLSearchParams({ filter: query.filter, limit: String(query.limit ?? 50) });
    if (query.cursor !== undefined) search.set('cursor', query.cursor);
    return requestJson(this.target, { method: 'GET', path: `/v1/conversations?${search.toString()}`, token }, ConversationPage);
  }

  conversation(token: string, conversationId: number): Promise<ConversationSummary> {
    return requestJson(this.target, { method: 'GET', path: `/v1/conversations/${conversationId}`, token }, ConversationSummary);
  }

  messages(token: string, conversationId: number, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<MessagePage> {
    const search = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.cursor !== undefined) search.set('cursor', query.cursor);
    return requestJson(this.target, { method: 'GET', path: `/v1/conversations/${conversationId}/messages?${search.toString()}`, token }, MessagePage);
  }

  send(token: string, request: SendRequestInput): Promise<SendAccepted> {
    return requestJson(this.target, { method: 'POST', path: '/v1/messages', token, json: request }, SendAccepted);
  }

  markRead(token: string, conversationId: number): Promise<MarkedRead> {
    return requestJson(this.target, { method: 'POST', path: `/v1/conversations/${conversationId}/read`, token, json: {} }, MarkedRead);
  }

  async uploadMedia(token: string, file: { kind: string; filename: string; mimeType: string; bytes: Uint8Array }): Promise<MediaUploaded> {
    const search = new URLSearchParams({ kind: file.kind, filename: file.filename });
    const response = await requestRaw(this.target, { method: 'POST', path: `/v1/media?${search.toString()}`, token, body: file.bytes, contentType: file.mimeType });
    if (response.status !== 201) throw errorOf(response);
    return MediaUploaded.parse(JSON.parse(response.bytes.toString('utf8')));
  }

  async downloadMedia(token: string, mediaId: number, maxBytes: number): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> }> {
    const response = await requestRaw(this.target, { method: 'GET', path: `/v1/media/${mediaId}`, token, maxBytes });
    if (response.status !== 200) throw errorOf(response);
    return { mimeType: response.contentType.split(';')[0]?.trim() || 'application/octet-stream', bytes: Uint8Array.from(response.bytes) };
  }

  // Admin ------------------------------------------------------------------------------------

  adminDevices(token: string): Promise<DeviceList> {
    return requestJson(this.target, { method: 'GET', path: '/v1/admin/devices', token }, DeviceList);
  }

  adminLookupPairing(token: string, code: string): Promise<PairingForApproval> {
    return requestJson(this.target, { method: 'GET', path: `/v1/admin/pairings/lookup?code=${encodeURIComponent(code)}`, token }, PairingForApproval);
  }

  adminApprovePairing(token: string, code: string, replaceKey: boolean): Promise<DeviceView> {
    return requestJson(this.target, { method: 'POST', path: '/v1/admin/pairings/approve', token, json: { code, replaceKey } }, DeviceView);
  }

  adminRejectPairing(token: string, code: string): Promise<DeviceView> {
    return requestJson(this.target, { method: 'POST', path: '/v1/admin/pairings/reject', token, json: { code } }, DeviceView);
  }

  adminRevokeDevice(token: string, deviceId: number, reason: string): Promise<DeviceView> {
    return requestJson(this.target, { method: 'POST', path: `/v1/admin/devices/${deviceId}/revoke`, token, json: { reason } }, DeviceView);
  }

  adminAgents(token: string): Promise<{ agents: AgentView[] }> {
    return requestJson(this.target, { method: 'GET', path: '/v1/admin/agents', token }, z.object({ agents: z.array(AgentView) }));
  }

  adminCreateAgent(token: string, input: { username: string; displayName: string; role: 'agent' | 'supervisor' | 'admin' }): Promise<EnrollmentIssued> {
    return requestJson(this.target, { method: 'POST', path: '/v1/admin/agents', token, json: input }, EnrollmentIssued);
  }

  adminAgentAction(token: string, agentId: number, action: 'disable' | 'unlock'): Promise<AgentView> {
    return requestJson(this.target, { method: 'POST', path: `/v1/admin/agents/${agentId}/${action}`, token, json: {} }, AgentView);
  }
}
