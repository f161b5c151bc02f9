/**
 * Tests of the issuer's admin console ({@code /console/}): its headers and the API routes it added over plain HTTP,
 * and the console itself in a real headless Chromium driven by Selenium against a real issuer on 127.0.0.1.
 *
 * <p>The browser tests need Debian's {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them, and so do the tests when they run as root (`DebianPackages`).
 * To refresh the README's picture of the console:
 * <pre>{@code
 * mvn -pl vc-issuer -am verify -Dtest='ConsoleBrowserTest' -Dsurefire.failIfNoSpecifiedTests=false -Dtabard.console.screenshot=true
 * }</pre>
 */
package dev.tabard.issuer.console;
