/**
 * The WHATWG URL parser, which Node and Chromium both have as a global: the one parser that
 * decides where a link goes, so what common/links checks is what the browser opens (a parser of
 * our own would disagree with it on `https://a.example\@b.example` and the like). ES2023's lib does
 * not declare it, and common/ takes neither DOM nor Node types, so this names the part it uses.
 */
export interface WebUrl {
  readonly href: string;
  readonly protocol: string;
  /** Hostname and port; the hostname in ASCII (punycode), lower case. */
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  username: string;
  password: string;
}

const WhatwgUrl = (globalThis as unknown as { URL: new (input: string) => WebUrl }).URL;

/** The parsed URL, or undefined when it is not one. */
export function parseWebUrl(input: string): WebUrl | undefined {
  try {
    return new WhatwgUrl(input);
  } catch {
    return undefined;
  }
}
