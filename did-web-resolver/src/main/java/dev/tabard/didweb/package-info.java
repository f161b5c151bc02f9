/** did:web resolution: URL mapping, caching, offline bundles. */
package dev.tabard.didweb;
