// JSON text written the way the course files are written, so parsers meet the
// same quirks: event logs come from a Java encoder (`\/` escapes, ASCII only),
// song files from Python's json.dumps (ASCII only, `", "` and `": "` separators,
// floats always with a decimal point).

const shortEscapes: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };

function quote(value: string, escapeSlash: boolean): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code === 0x2f && escapeSlash) out += '\\/';
    else if (code < 0x20) out += shortEscapes[code] ?? `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += value[i];
  }
  return `${out}"`;
}

/** A string as the event logs write it: `\/` and `\uXXXX` escapes. */
export function eventString(value: string | null): string {
  return value === null ? 'null' : quote(value, true);
}

/** A string as the song files write it: `\uXXXX` escapes, `/` left alone. */
export function songString(value: string | null): string {
  return value === null ? 'null' : quote(value, false);
}

/** A float as Python prints it in the range these files use (`200.0`, `218.93179`). */
export function pythonFloat(value: number | null): string {
  if (value === null) return 'null';
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** The course's `log_json_path.json` (s3://udacity-dend/log_json_path.json), byte for byte. */
export const LOG_JSONPATHS_FILE = `{
    "jsonpaths": [
${[
  'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
  'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
]
  .map((key) => `        "$['${key}']"`)
  .join(',\n')}
    ]
}`;
