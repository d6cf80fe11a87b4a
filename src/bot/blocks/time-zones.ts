/**
 * The time zones a manager can pick. Node's Intl list uses ICU's canonical ids, several of which
 * are names the IANA database has since replaced (Asia/Calcutta, Asia/Katmandu, Europe/Kiev):
 * a manager searching for "Kolkata" or "Kyiv" would find nothing. We show today's names; the old
 * ones remain valid links, so either works anywhere a zone is used.
 */
const CURRENT_NAMES: Readonly<Record<string, string>> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

export const TIME_ZONES: readonly string[] = [
  ...new Set([
    'UTC',
    ...Intl.supportedValuesOf('timeZone').map((zone) => CURRENT_NAMES[zone] ?? zone),
  ]),
].sort();
