import { addStrings } from '../i18n/i18n.ts';

/** Strings of the plugins screen's two parts: the operator's installation config and the tenant's settings. */
addStrings('pluginSettings', {
  en: {
    note: 'Each plugin has two kinds of values. Its installation configuration is set by the server’s operator in the config file and read when the server starts: it is shown read-only here, without secrets. Its settings for this help desk, where the plugin offers any, can be changed here.',
    installation: 'Installation configuration (set by the operator)',
    installationHint: 'Read-only: set in the server’s config file, read when the server starts.',
    settings: 'Settings for this help desk',
    settingsOf: 'Settings of {{id}}',
    save: 'Save settings',
    saved: 'Settings of {{id}} saved.',
    reload: 'Reload settings',
    readOnly: 'You may see these settings; changing them needs the permission plugins.configure.',
    secretSet: 'A secret is saved; it is never shown.',
    secretKept: 'A secret is saved; it is never shown. Leave the field empty to keep it, type to replace it.',
    stale: 'These settings were changed by someone else meanwhile, so yours were not saved. Reload to see the current settings, then make your change again.',
    invalid: 'Some settings are not valid; see the marked fields.',
  },
  de: {
    note: 'Jedes Plugin hat zwei Arten von Werten. Seine Installationskonfiguration legt der Betreiber des Servers in der Konfigurationsdatei fest; sie wird beim Start gelesen und hier nur angezeigt, ohne Geheimnisse. Seine Einstellungen für diesen Helpdesk, sofern das Plugin welche anbietet, lassen sich hier ändern.',
    installation: 'Installationskonfiguration (vom Betreiber festgelegt)',
    installationHint: 'Nur lesbar: in der Konfigurationsdatei des Servers festgelegt, beim Start gelesen.',
    settings: 'Einstellungen für diesen Helpdesk',
    settingsOf: 'Einstellungen von {{id}}',
    save: 'Einstellungen speichern',
    saved: 'Einstellungen von {{id}} gespeichert.',
    reload: 'Einstellungen neu laden',
    readOnly: 'Sie können diese Einstellungen sehen; zum Ändern braucht es die Berechtigung plugins.configure.',
    secretSet: 'Ein Geheimnis ist gespeichert; es wird nie angezeigt.',
    secretKept: 'Ein Geheimnis ist gespeichert; es wird nie angezeigt. Lassen Sie das Feld leer, um es zu behalten, oder geben Sie ein neues ein.',
    stale: 'Jemand anderes hat diese Einstellungen inzwischen geändert, daher wurden Ihre nicht gespeichert. Laden Sie neu, um den aktuellen Stand zu sehen, und ändern Sie dann erneut.',
    invalid: 'Einige Einstellungen sind ungültig; siehe die markierten Felder.',
  },
});
