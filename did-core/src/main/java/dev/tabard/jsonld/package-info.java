/** JSON-LD processing over bundled contexts only, with safe-mode checks and a bounded RDFC-1.0. */
package dev.tabard.jsonld;
