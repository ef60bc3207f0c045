import type { SearchHit } from '../../../common/ipc/contract.js';

/** Text with the words the search matched in <mark>: fragments, never HTML. */
export function MarkedText({ fragments }: { fragments: SearchHit['fragments'] }) {
  return <>{fragments.map((fragment, index) => (fragment.match ? <mark key={index}>{fragment.text}</mark> : <span key={index}>{fragment.text}</span>))}</>;
}
