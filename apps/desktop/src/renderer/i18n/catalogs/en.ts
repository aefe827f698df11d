// Pure: the doctor app's messages (English only for now), ICU MessageFormat, compiled by
// `npm run i18n:compile` like the patient page's.
export const en = {
  'newVisit.title': 'New visit',
  'newVisit.appointmentId': 'Appointment ID',
  'newVisit.patientName': 'Patient name',
  'newVisit.scheduledTime': 'Scheduled time',
  'newVisit.language': "Patient's language",
  'newVisit.languageBrowser': "Their browser's language",
  'newVisit.create': 'Create visit',
  'newVisit.creating': 'Creating…',
  'newVisit.error.time': 'Choose the scheduled date and time.',
  'newVisit.error.appointmentId':
    'The appointment ID may hold letters, digits, "-" and "_" only (up to 64).',
  'newVisit.error.patientName':
    'The patient name is too long or holds characters that cannot be used.',
  'newVisit.error.form': 'Check the form and try again.',
  'newVisit.error.failed': 'The visit could not be created.',
  'link.label': 'Patient link for {patient}',
  'link.copy': 'Copy link',
  'link.copied': 'Link copied.',
  'link.copyManually': 'Press Ctrl+C to copy the selected link.',
  'link.email': 'Email link',
  'link.emailOpened': 'Your e-mail program opened.',
  'link.emailFailed': 'No e-mail program could be opened.',
  'link.openVisit': 'Open visit',
  'link.mail.subject': 'Your video visit',
  'link.mail.greeting': 'Hello,',
  'link.mail.when': 'Your video visit is scheduled for {when}.',
  'link.mail.how':
    'Open this link on your phone or computer a few minutes before, and allow the camera and microphone:',
  'link.mail.nothing': 'Nothing needs to be installed.',
  'signIn.title': 'Sign in',
  'signIn.email': 'Email',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.error.unknown': 'Something went wrong. Please try again.',
  'signIn.error.wrong': 'The email or password is not correct.',
  'signIn.error.rateLimited': 'Too many sign-in attempts. Wait a minute, then try again.',
  'signIn.error.forbidden':
    'This account cannot use the desktop app. Ask your clinic administrator.',
  'signIn.error.outdated': 'This version of Bedside is too old for the server. Please update.',
  'signIn.error.empty': 'Enter your email and password.',
  'signIn.error.email': 'Enter a valid email address.',
  'server.line': 'Server: {host}',
  'server.change': 'Change server',
  'firstRun.title': 'Welcome to Bedside',
  'firstRun.intro':
    "Enter your clinic's Bedside server address. Your IT team can tell you what it is.",
  'firstRun.address': 'Server address',
  'firstRun.error.address': 'Enter the full address, for example https://visits.your-clinic.org',
  'firstRun.error.noAnswer':
    'No Bedside server answered at that address. Check it with your IT team.',
  'firstRun.error.notBedside':
    'That address answered, but not like a Bedside server. Check it with your IT team.',
  'firstRun.checking': 'Checking…',
  'firstRun.continue': 'Continue',
  'unreachable.title': "Can't reach the Bedside server",
  'unreachable.retry': 'Try again',
  'outdated.title': 'Please update Bedside',
  'outdated.body':
    "This version of Bedside is too old for your clinic's server. Please update to {version} or later.",
  'outdated.bodyLatest':
    "This version of Bedside is too old for your clinic's server. Please update to the latest version.",
  'outdated.current': 'You have version {version}.',
  'outdated.get': 'Get the update',
  'outdated.openFailed':
    'The update page could not be opened. Ask your IT team for Bedside {version} ({url}).',
  'loading.starting': 'Starting Bedside…',
  'picker.tab.screen': 'Screens',
  'picker.tab.window': 'Windows',
  'picker.tabCount': '{label} ({count})',
  'picker.title': 'Choose what to share',
  'picker.sourceType': 'Source type',
  'picker.noScreens': 'No screens are available.',
  'picker.noWindows': 'No other windows are open.',
  'picker.systemAudio': 'Share system audio',
  'picker.cancel': 'Cancel',
  'picker.share': 'Share',
  'picker.blocked.title': 'Screen sharing is blocked',
  'picker.blocked.openSettings': 'Open System Settings',
  'picker.blocked.ok': 'OK',
  'picker.blocked.mac':
    'Bedside is not allowed to record the screen. Open System Settings → Privacy & Security → Screen Recording, turn Bedside on, then quit and reopen Bedside.',
  'picker.blocked.linux':
    'No screen or window could be listed. If you use Wayland, allow Bedside in the screen-sharing prompt, then try again.',
  'picker.blocked.other':
    'No screen or window could be listed. Try again, or ask your IT team to allow screen capture for Bedside.',
  'waiting.count':
    '{count, plural, =0 {No one waiting} one {# patient waiting} other {# patients waiting}}',
} as const;

export type MessageId = keyof typeof en;
export type Catalog = Record<MessageId, string>;
