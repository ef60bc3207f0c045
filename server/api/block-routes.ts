/** The handlers of the client API's block routes (common/api/block-endpoints.ts). */
import type { BLOCK_ENDPOINTS } from '../../common/api/block-endpoints.js';
import type { BlockService } from '../blocks/block-service.js';
import type { Handlers } from './api-route.js';

export function blockHandlers(blocks: BlockService): Handlers<typeof BLOCK_ENDPOINTS> {
  return {
    blockCustomer: ({ params, body, principal, request }) => blocks.block(principal, params.id, body, request.ip),
    unblockCustomer: ({ params, principal, request }) => blocks.unblock(principal, params.id, request.ip),
  };
}
