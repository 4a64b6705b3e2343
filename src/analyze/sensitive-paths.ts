/**
 * What a path string points at: crypto wallets, browser credential stores, developer credentials.
 * Every pattern here is linear-time (plain substring tests or anchored character classes):
 * the strings are attacker-chosen.
 */
import iocs from '../../data/iocs.json' with { type: 'json' }

export type SensitiveKind = 'wallet' | 'browser-store' | 'browser-profile' | 'credential' | 'asset'

export interface SensitiveTarget {
  kind: SensitiveKind
  /** What exactly, e.g. `MetaMask extension`, `Login Data`, `.npmrc`. */
  target: string
}

/** Browser-extension ids of crypto wallets (Chrome Web Store / Edge add-ons), from public stealer analyses. */
export const WALLET_EXTENSION_IDS: ReadonlyMap<string, string> = new Map([
  ['nkbihfbeogaeaoehlefnkodbefgpgknn', 'MetaMask'],
  ['ejbalbakoplchlghecdalmeeeajnimhm', 'MetaMask (Edge)'],
  ['fhbohimaelbohpjbbldcngcnapndodjp', 'BNB Chain Wallet'],
  ['ibnejdfjmmkpcnlpebklmnkoeoihofec', 'TronLink'],
  ['bfnaelmomeimhlpmgjnjophhpkkoljpa', 'Phantom'],
  ['aeachknmefphepccionboohckonoeemg', 'Coin98'],
  ['hifafgmccdpekplomjjkcfgodnhcellj', 'Crypto.com DeFi Wallet'],
  ['jblndlipeogpafnldhgmapagcccfchpi', 'Kaia Wallet'],
  ['acmacodkjbdgmoleebolmdjonilkdbch', 'Rabby'],
  ['dlcobpjiigpikoobohmabehhmhfoodbb', 'Argent X'],
  ['mcohilncbfahbmgdjkbpemcciiolgcge', 'OKX Wallet'],
  ['agoakfejjabomempkjlepdflaleeobhb', 'Core'],
  ['omaabbefbmiijedngplfjmnooppbclkk', 'Tonkeeper'],
  ['aholpfdialjgjfhomihkjbmgjidlcdno', 'Exodus Web3'],
  ['nphplpgoakhhjchkkhmiggakijnkhfnd', 'TON Wallet'],
  ['penjlddjkjgpnkllboccdgccekpkcbin', 'OpenMask'],
  ['lgmpcpglpngdoalbgeoldeajfclnhafa', 'SafePal'],
  ['fldfpgipfncgndfolcbkdeeknbbbnhcc', 'MyTonWallet'],
  ['bhhhlbepdkbapadjdnnojkbgioiodbic', 'Solflare'],
  ['gjnckgkfmgmibbkoficdidcljeaaaheg', 'Atomic Wallet'],
  ['afbcbjpbpfadlkmhmclhkeeodmamcflc', 'MathWallet'],
  ['dmkamcknogkgcdfhhbddcghachkejeap', 'Keplr'],
  ['ppbibelpcjmhbdihakflkdcoccbgbkpo', 'UniSat'],
  ['egjidjbpglichdcondbcbdnbeeppgdph', 'Trust Wallet'],
  ['khpkpbbcccdmmclmpigdgddabeilkdpd', 'Sui Wallet'],
  ['hnfanknocfeofbddgcijnmhnfnkdnaad', 'Coinbase Wallet'],
  ['fnjhmkhhmkbjkkabndcnnogagogbneec', 'Ronin Wallet'],
  ['ffnbelfdoeiohenkjibnmadjiehjhajb', 'Yoroi'],
  ['cgeeodpfagjceefieflmdfphplkenlfk', 'Edge Wallet'],
  ['kpfopkelmapcoipemfendmdcghnegimn', 'Liquality'],
  ['fnnegphlobjdpkhecapkijjdkgcjhkib', 'Harmony'],
  ['nlbmnnijcnlegkjjpcfjclmcfggfefdm', 'MEW CX'],
  ['hpglfhgfnhbgpjdenjgmdgoeiappafln', 'Guarda'],
  ['blnieiiffboillknjnepogjhkgnoapac', 'EQUAL Wallet'],
  ['cjelfplplebdjjenllpjcblmjkfcffne', 'Jaxx Liberty'],
  ['fihkakfobkmkjojpchpfgcmhfjnmnfpi', 'BitApp Wallet'],
  ['kncchdigobghenbbaddojjnnaogfppfj', 'iWallet'],
  ['amkmjjmmflddogmhpjloimipbofnfjih', 'Wombat'],
  ['fhilaheimglignddkjgofkcbgekhenbh', 'Oxygen'],
  ['nanjmdknhkinifnkgdcggcfnhdaammmj', 'GuildWallet'],
  ['nkddgncdjgjfcddamfgcmfnlhccnimig', 'Saturn Wallet'],
  ['aiifbnbfobpmeekipheeijimdpnlpgpp', 'Terra Station'],
  ['fpkhgmpbidmiogeglndfbkegfdlnajnf', 'Cosmostation'],
  ['opcgpfmipidbgpenhmajoajpbobppdil', 'Sui Wallet (Slush)'],
  ['aflkmfhebedbjioipglgcbcmnbpgliof', 'Backpack'],
  ['fcfcfllfndlomdhbehjjcoimbgofdncg', 'Leap'],
])

const WALLET_ID_PATTERN = /[a-p]{32}/g

/** Desktop-wallet and key-store path fragments (lower case, `/` separators). */
const WALLET_FRAGMENTS: ReadonlyArray<[string, string]> = [
  ['local extension settings', 'browser extension storage (wallet vaults)'],
  ['indexeddb/chrome-extension_', 'browser extension storage (wallet vaults)'],
  ['.config/solana', 'Solana CLI keypair'],
  ['solana/id.json', 'Solana CLI keypair'],
  ['exodus.wallet', 'Exodus wallet'],
  ['/exodus/', 'Exodus wallet'],
  ['atomic/local storage', 'Atomic Wallet'],
  ['electrum/wallets', 'Electrum wallet'],
  ['.electrum', 'Electrum wallet'],
  ['wallet.dat', 'Bitcoin Core wallet.dat'],
  ['.bitcoin', 'Bitcoin Core wallet'],
  ['.ethereum/keystore', 'Ethereum keystore'],
  ['ethereum/keystore', 'Ethereum keystore'],
  ['com.liberty.jaxx', 'Jaxx wallet'],
  ['coinomi/coinomi/wallets', 'Coinomi wallet'],
  ['guarda/local storage', 'Guarda wallet'],
  ['monero/wallets', 'Monero wallet'],
  ['ledger live', 'Ledger Live'],
  ['library/keychains', 'macOS keychain'],
  ['login.keychain', 'macOS keychain'],
  ['metamask', 'MetaMask data'],
]

/** Browser credential stores: the file names are specific enough alone (compared case-sensitively). */
const BROWSER_STORE_FILES: ReadonlyArray<[string, string]> = [
  ['Login Data', 'Chromium saved passwords (Login Data)'],
  ['Local State', 'Chromium master key (Local State)'],
  ['Web Data', 'Chromium autofill (Web Data)'],
  ['Cookies', 'browser cookies'],
  ['key4.db', 'Firefox key store (key4.db)'],
  ['key3.db', 'Firefox key store (key3.db)'],
  ['logins.json', 'Firefox saved passwords (logins.json)'],
  ['cookies.sqlite', 'Firefox cookies'],
  ['signons.sqlite', 'Firefox saved passwords'],
  ['formhistory.sqlite', 'Firefox form history'],
]

/** Browser profile roots (lower case); weaker: browser launchers reference them too. */
/** Application session stores that stealers lift tokens from (lower case). */
const APP_SESSION_FRAGMENTS: ReadonlyArray<[string, string]> = [
  ['discord/local storage/leveldb', 'Discord tokens'],
  ['discordcanary/local storage', 'Discord tokens'],
  ['discordptb/local storage', 'Discord tokens'],
  ['lightcord/local storage', 'Discord tokens'],
  ['telegram desktop/tdata', 'Telegram session'],
  ['steam/config/loginusers.vdf', 'Steam session'],
  ['/ssfn', 'Steam session'],
  ['local storage/leveldb', 'browser local storage (session tokens)'],
  ['.purple/accounts.xml', 'Pidgin accounts'],
  ['filezilla/recentservers.xml', 'FileZilla passwords'],
  ['filezilla/sitemanager.xml', 'FileZilla passwords'],
]

const BROWSER_PROFILE_FRAGMENTS: ReadonlyArray<[string, string]> = [
  ['google/chrome/user data', 'Chrome profiles'],
  ['google/chrome', 'Chrome profiles'],
  ['google-chrome', 'Chrome profiles'],
  ['bravesoftware/brave-browser', 'Brave profiles'],
  ['opera software/opera', 'Opera profiles'],
  ['com.operasoftware.opera', 'Opera profiles'],
  ['microsoft/edge', 'Edge profiles'],
  ['yandex/yandexbrowser', 'Yandex profiles'],
  ['vivaldi', 'Vivaldi profiles'],
  ['chromium/user data', 'Chromium profiles'],
  ['.config/chromium', 'Chromium profiles'],
  ['mozilla/firefox', 'Firefox profiles'],
  ['.mozilla/firefox', 'Firefox profiles'],
  ['user data/default', 'Chromium profiles'],
  ['user data/profile', 'Chromium profiles'],
]

/** Developer and system credentials (lower case). A leading `/` or `.` anchors the fragment at a path segment. */
const CREDENTIAL_FRAGMENTS: ReadonlyArray<[string, string]> = [
  ['.npmrc', '.npmrc (registry tokens)'],
  ['.yarnrc', '.yarnrc (registry tokens)'],
  ['.netrc', '.netrc (passwords)'],
  ['.pypirc', '.pypirc (PyPI tokens)'],
  ['.git-credentials', '.git-credentials'],
  ['.gitconfig', '.gitconfig'],
  ['.ssh', 'SSH keys'],
  ['id_rsa', 'SSH private key'],
  ['id_ed25519', 'SSH private key'],
  ['id_ecdsa', 'SSH private key'],
  ['id_dsa', 'SSH private key'],
  ['.aws/credentials', 'AWS credentials'],
  ['.aws/config', 'AWS config'],
  ['.aws', 'AWS credentials'],
  ['.docker/config.json', 'Docker registry auth'],
  ['.kube/config', 'Kubernetes credentials'],
  ['.config/gh', 'GitHub CLI token'],
  ['.config/hub', 'GitHub hub token'],
  ['.config/gcloud', 'Google Cloud credentials'],
  ['application_default_credentials.json', 'Google Cloud credentials'],
  ['.azure', 'Azure credentials'],
  ['.terraform.d/credentials', 'Terraform token'],
  ['.vault-token', 'Vault token'],
  ['.gnupg', 'GnuPG keys'],
  ['.bash_history', 'shell history'],
  ['.zsh_history', 'shell history'],
  ['/etc/passwd', '/etc/passwd'],
  ['/etc/shadow', '/etc/shadow'],
]

const ASSET_EXTENSION = /\.(?:png|jpe?g|gif|bmp|ico|svg|webp|ttf|woff2?|otf|wav|mp3|mp4)$/i

function normalize(text: string): string {
  return text.includes('\\') ? text.replace(/\\+/g, '/') : text
}

/** Characters that lower-casing changes: ASCII capitals, and anything beyond ASCII (the Kelvin sign lower-cases to `k`). */
const CASED = /[A-Z\u0080-\uffff]/

/** Sensitive targets a path (or path fragment) string names. Bounded: only the first 4 KB of a string is read. */
export function classifyPath(raw: string): SensitiveTarget[] {
  if (raw.length < 3) return []
  const text = normalize(raw.length > 4096 ? raw.slice(0, 4096) : raw)
  // Called on every string literal and concatenation of every analysed file: no copies when nothing changes.
  const lower = CASED.test(text) ? text.toLowerCase() : text
  const out: SensitiveTarget[] = []
  for (const id of walletIdsIn(lower)) out.push({ kind: 'wallet', target: `${WALLET_EXTENSION_IDS.get(id)} extension` })
  pushMatches(out, 'wallet', WALLET_FRAGMENTS, lower, contains)
  pushMatches(out, 'browser-store', BROWSER_STORE_FILES, text, hasSegment)
  pushMatches(out, 'browser-profile', BROWSER_PROFILE_FRAGMENTS, lower, contains)
  pushMatches(out, 'credential', CREDENTIAL_FRAGMENTS, lower, hasFragmentSegment)
  pushMatches(out, 'browser-store', APP_SESSION_FRAGMENTS, lower, contains)
  if (/(?:^|\/)\.env(?:\.[a-z]{1,20})?$/.test(lower)) out.push({ kind: 'credential', target: '.env file' })
  if (ASSET_EXTENSION.test(lower)) out.push({ kind: 'asset', target: 'image/font asset' })
  return out
}

const contains = (text: string, fragment: string): boolean => text.includes(fragment)

/**
 * Adds the target of each `[fragment, target]` row that `matches` the text. An indexed loop: a
 * destructuring `for … of` over the table allocated iterators on every call of classifyPath.
 */
function pushMatches(out: SensitiveTarget[], kind: SensitiveTarget['kind'], table: ReadonlyArray<[string, string]>, text: string, matches: (text: string, fragment: string) => boolean): void {
  for (let i = 0; i < table.length; i++) {
    const row = table[i]!
    if (matches(text, row[0])) out.push({ kind, target: row[1] })
  }
}

/** Known wallet extension ids inside a string. */
export function walletIdsIn(lowerText: string): string[] {
  if (lowerText.length < 32) return []
  const out: string[] = []
  WALLET_ID_PATTERN.lastIndex = 0
  for (let match = WALLET_ID_PATTERN.exec(lowerText); match !== null; match = WALLET_ID_PATTERN.exec(lowerText)) {
    if (WALLET_EXTENSION_IDS.has(match[0])) out.push(match[0])
  }
  return out
}

/** `name` as a whole path segment of `text` (or the whole string): `…/Default/Login Data`, `Login Data`. */
function hasSegment(text: string, name: string): boolean {
  let from = 0
  for (;;) {
    const at = text.indexOf(name, from)
    if (at === -1) return false
    const before = at === 0 ? '/' : text[at - 1]
    const after = at + name.length === text.length ? '/' : text[at + name.length]
    if (before === '/' && (after === '/' || after === '"' || after === "'")) return true
    from = at + 1
  }
}

/** A fragment that starts at a segment boundary: `.ssh` in `~/.ssh/id_rsa` but not in `foo.ssh`. */
function hasFragmentSegment(lower: string, fragment: string): boolean {
  let from = 0
  for (;;) {
    const at = lower.indexOf(fragment, from)
    if (at === -1) return false
    const before = at === 0 ? '/' : lower[at - 1]!
    const endChar = lower[at + fragment.length]
    const boundaryBefore = fragment.startsWith('/') || before === '/' || before === '~' || before === '"' || before === ' '
    const boundaryAfter = endChar === undefined || endChar === '/' || endChar === '"' || endChar === "'" || endChar === ' ' || endChar === '.' || endChar === '_'
    if (boundaryBefore && boundaryAfter) return true
    from = at + 1
  }
}

// ---------------------------------------------------------------- hosts and URLs

/** Out-of-band interaction, request-capture, paste and tunnel services (lower-case host suffixes). */
export const OOB_HOST_SUFFIXES = [
  'oastify.com', 'burpcollaborator.net', 'oast.pro', 'oast.live', 'oast.site', 'oast.online', 'oast.fun', 'oast.me',
  'interact.sh', 'interactsh.com', 'canarytokens.com', 'dnslog.cn', 'ceye.io', 'dnslog.link', 'requestbin.net', 'requestbin.com',
  'pipedream.net', 'webhook.site', 'beeceptor.com', 'ngrok.io', 'ngrok-free.app', 'ngrok.app', 'trycloudflare.com', 'serveo.net',
  'localtunnel.me', 'loca.lt', 'pastebin.com', 'hastebin.com', 'transfer.sh', 'requestcatcher.com', 'hookbin.com', 'postb.in',
  'ptpb.pw', 'xss.ht', 'bxss.me', 'ezxss.com', 'free.beeceptor.com', 'mockbin.org', 'rbnd.pl',
]

/** A host under one of the out-of-band services, e.g. `abc.oastify.com`; `oast.*` test hosts too. */
export function oobServiceOf(host: string): string | undefined {
  const h = host.toLowerCase()
  for (const suffix of OOB_HOST_SUFFIXES) if (h === suffix || h.endsWith(`.${suffix}`)) return suffix
  if (/(?:^|\.)oast\.[a-z]{2,10}$/.test(h)) return 'oast.*'
  return undefined
}

export interface UrlParts {
  scheme: string
  host: string
  port?: number
  path: string
}

/** Splits a URL-looking string; undefined when it is not one. Linear-time. */
export function parseUrl(text: string): UrlParts | undefined {
  const m = /^\s*([a-z][a-z0-9+.-]{0,15}):\/\/(?:[^@/\s]{0,200}@)?(\[[0-9a-f:.]{2,45}\]|[^/:?#\s]{1,253})(?::(\d{1,5}))?([^\s]{0,2000})/i.exec(text.length > 2500 ? text.slice(0, 2500) : text)
  if (!m) return undefined
  return { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase(), ...(m[3] && { port: Number(m[3]) }), path: m[4] ?? '' }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** An IPv4 literal host that is not loopback, private, link-local or unspecified. */
export function isPublicIpv4(host: string): boolean {
  const m = IPV4.exec(host)
  if (!m) return false
  const [a, b] = [Number(m[1]), Number(m[2])]
  if ([a, b, Number(m[3]), Number(m[4])].some((n) => n > 255)) return false
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false
  if (a === 169 && b === 254) return false
  if (a === 172 && b >= 16 && b <= 31) return false
  if (a === 192 && b === 168) return false
  if (a === 100 && b >= 64 && b <= 127) return false
  return true
}

export function isLocalHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0' || (IPV4.test(host) && !isPublicIpv4(host))
}

const IOC_DOMAINS = new Set<string>(iocs.domains)
const IOC_IPS = new Set<string>(iocs.ips)
const IOC_PATHS = iocs.c2PathShapes.map((p) => new RegExp(p))
const IOC_PORTS = new Set<number>(iocs.c2Ports)

/** A public indicator of compromise matched by a URL: known campaign domain or IP, or C2 port + path shape. */
export function iocOf(url: UrlParts): string | undefined {
  for (const domain of IOC_DOMAINS) if (url.host === domain || url.host.endsWith(`.${domain}`)) return `known campaign domain ${domain}`
  if (IOC_IPS.has(url.host)) return `known campaign IP ${url.host}`
  if (url.port !== undefined && IOC_PORTS.has(url.port) && isPublicIpv4(url.host)) {
    const path = url.path.split(/[?#]/, 1)[0]!
    if (IOC_PATHS.some((p) => p.test(path))) return `C2 shape: raw IP, port ${url.port}, path ${path}`
  }
  return undefined
}

/** Hosts that imitate npm infrastructure or crypto price services (campaign a.6), excluding the real ones. */
export function lookalikeHostOf(host: string): string | undefined {
  const h = host.toLowerCase()
  if (/(?:^|\.)(?:npmjs\.(?:com|org)|npmjs\.cf|yarnpkg\.com|snyk\.io|npmmirror\.com|github\.com|githubusercontent\.com|coingecko\.com|binance\.com|nodejs\.org)$/.test(h)) return undefined
  const label = h.split('.').slice(-2, -1)[0] ?? h
  // npmjsregister, npmaudit, npmjscloud, npmrepos, npmcloudjs, npmjsregistry; not pnpm, npms, npmmirror
  if (/^npm(?:js)?-?(?:cloud|repo|regist|audit|pkg|update|package|secur|verif|install|cdn|check)/.test(label) || /^(?:registry-?npm|npm-?registry|yarnpkg-|snyk-?audit|snykaudit)/.test(label)) return `${host} imitates package-registry infrastructure`
  if (/coingecko|binance|coinmarketcap/.test(label) || /^(?:bi2|crypto|trading|coin)price/.test(label) || /price(?:offer|record|fetch)/.test(label)) return `${host} imitates a crypto price service`
  return undefined
}
