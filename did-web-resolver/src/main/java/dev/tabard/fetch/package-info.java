/** Fetching from URLs that strangers choose: SSRF guard, limits, pinned addresses, extra trust anchors. */
package dev.tabard.fetch;
