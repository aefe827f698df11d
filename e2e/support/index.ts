// Node (Playwright worker): everything end-to-end specs share, from one import.
export * from './api.ts';
export * from './fixtures.ts';
export * from './media.ts';
export * from './service.ts';
export * from './doctorPage.ts';
export * from './patientPage.ts';
export * from './consolePage.ts';
export * from './staticSite.ts';
export * from './desktopWeb.ts';
export * from './csp.ts';
export * from './axe.ts';
export * from './multiParty.ts';
export * from './blurPixels.ts';
export * from './xvfb.ts';
