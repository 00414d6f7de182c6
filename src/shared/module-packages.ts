// The package to install for a module a step could not import: most are the same name, these are not.
// Used by the failure card's one-click fix ("Add opencv-python to this workflow's packages").

const KNOWN: Record<string, string> = {
  cv2: 'opencv-python',
  yaml: 'PyYAML',
  PIL: 'Pillow',
  sklearn: 'scikit-learn',
  skimage: 'scikit-image',
  docx: 'python-docx',
  pptx: 'python-pptx',
  win32com: 'pywin32',
  win32api: 'pywin32',
  win32con: 'pywin32',
  win32gui: 'pywin32',
  pythoncom: 'pywin32',
  pywintypes: 'pywin32',
  bs4: 'beautifulsoup4',
  dateutil: 'python-dateutil',
  dotenv: 'python-dotenv',
  jwt: 'PyJWT',
  Crypto: 'pycryptodome',
  OpenSSL: 'pyOpenSSL',
  serial: 'pyserial',
  usb: 'pyusb',
  magic: 'python-magic',
  fitz: 'PyMuPDF',
  attr: 'attrs',
  google: 'google-api-python-client',
  googleapiclient: 'google-api-python-client',
  MySQLdb: 'mysqlclient',
  psycopg2: 'psycopg2-binary',
  ldap: 'python-ldap',
  telegram: 'python-telegram-bot',
  discord: 'discord.py',
  Levenshtein: 'python-Levenshtein',
  sentencepiece: 'sentencepiece',
  zmq: 'pyzmq',
  gi: 'PyGObject',
  wx: 'wxPython',
  pyodbc: 'pyodbc',
  xlrd: 'xlrd',
  openpyxl: 'openpyxl',
  pandas: 'pandas',
  numpy: 'numpy',
  requests: 'requests'
}

/** The distribution that provides `module` (its top-level name: `cv2.data` → cv2). */
export function packageForModule(module: string): string {
  const top = module.split('.')[0]
  return KNOWN[top] ?? top.replace(/_/g, '-')
}

/** The module of the last "No module named 'x'" in a step's log or error, or null. */
export function missingModule(text: string): string | null {
  let found: string | null = null
  for (const m of text.matchAll(/(?:ModuleNotFoundError|ImportError): No module named '([A-Za-z_][\w.]*)'/g)) found = m[1]
  return found
}
