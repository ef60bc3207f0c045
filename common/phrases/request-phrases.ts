/**
 * The words with which someone asks to be given, told or sent something, in English and Italian:
 * imperatives (`send`, `inviami`, `mi dica`), the infinitives that follow `can you` and `può`
 * (`could you give`, `può indicarmi`), questions (`what is`, `qual è`) and needs (`I need`, `mi
 * serve`). Written as common/phrases/phrase-finder.ts reads them. Left out on purpose: past
 * forms (`inviato`, `sent`), which tell rather than ask, and words that are mostly something else
 * (`dai` is also "come on" and "from the", `di` is "of", `text` and `type` are nouns as often).
 * NOT_REQUEST_PHRASES are phrases that contain a request word and ask nothing (`vuol dire`,
 * "means"): a lexicon lists them under a tag of its own so that the longer phrase is read.
 */
export const REQUEST_PHRASES: readonly string[] = [
  // English
  ...['send', 'give', 'tell', 'share', 'forward', 'provide', 'write', 'enter', 'confirm', 'paste', 'dictate', 'repeat', 'leave'],
  ...['read me', 'read us', 'read out', 'text me', 'text us', 'dm me', 'type in', 'type it', 'reply with'],
  ...['let me know', 'let us know', 'what is', 'what s', 'whats', 'what was', 'need', 'needs', 'require', 'requires', 'required'],
  ...['can i have', 'can i get', 'could i have', 'may i have', 'can we have', 'could we have', 'may we have'],
  // Italian: imperatives, present forms of a question, infinitives, with their pronouns
  ...['invia', 'inviami', 'inviaci', 'inviamelo', 'inviacelo', 'inviare', 'inviarmi', 'inviarci', 'inviarmelo', 'inviarcelo'],
  ...['invii', 'inviate', 'inviatemi', 'inviateci'],
  ...['manda', 'mandami', 'mandaci', 'mandamelo', 'mandacelo', 'mandare', 'mandarmi', 'mandarci', 'mandarmelo', 'mandarcelo'],
  ...['mandi', 'mandate', 'mandatemi', 'mandateci', 'spedisci', 'spediscimi', 'spedire', 'spedirmi', 'spedisca'],
  ...['dammi', 'dacci', 'dammelo', 'daccelo', 'dare', 'darmi', 'darci', 'darmelo', 'darcelo', 'dia', 'datemi', 'dateci', 'mi dai', 'ci dai', 'lo dai'],
  ...['mi da', 'ci da', 'lo da', 'lascia', 'lasciami', 'lasciaci', 'lasciare', 'lasciarmi', 'lasciarci', 'lasci', 'lasciate'],
  ...['dimmi', 'dicci', 'dimmelo', 'diccelo', 'dire', 'dirmi', 'dirci', 'dirmelo', 'dica', 'dici', 'ditemi', 'dite'],
  ...['gira', 'girami', 'giramelo', 'girare', 'girarmi', 'giri', 'giratemi', 'inoltra', 'inoltrami', 'inoltramelo', 'inoltrare', 'inoltrarmi'],
  ...['inoltri', 'inoltratemi', 'scrivi', 'scrivimi', 'scrivere', 'scrivermi', 'scriva', 'scrivetemi'],
  ...['comunica', 'comunicami', 'comunicaci', 'comunicare', 'comunicarmi', 'comunicarci', 'comunichi', 'comunicatemi'],
  ...['condividi', 'condividere', 'condivida', 'fornisci', 'forniscimi', 'fornire', 'fornirmi', 'fornirci', 'fornisca', 'fornitemi'],
  ...['leggi', 'leggimi', 'leggere', 'leggermi', 'legga', 'detta', 'dettami', 'dettare', 'dettarmi', 'ripeti', 'ripetere', 'ripeta'],
  ...['conferma', 'confermami', 'confermare', 'confermarmi', 'confermi', 'confermatemi'],
  ...['indica', 'indicami', 'indicare', 'indicarmi', 'indicarci', 'indichi', 'indicatemi', 'riferisci', 'riferiscimi', 'riferire', 'riferisca'],
  ...['digita', 'digitare', 'digiti', 'inserisci', 'inserire', 'inserisca', 'compila', 'compilare', 'compili'],
  ...['fammi sapere', 'facci sapere', 'mi faccia sapere', 'ci faccia sapere', 'fatemi sapere', 'fateci sapere'],
  ...['qual', 'quale', 'quali', 'serve', 'servono', 'servirebbe', 'servirebbero', 'bisogno', 'necessario', 'necessaria', 'necessari', 'occorre', 'occorrono'],
];

export const NOT_REQUEST_PHRASES: readonly string[] = ['vuol dire', 'vuole dire', 'voglio dire', 'volevo dire', 'per dire', 'a dire', 'needless'];
