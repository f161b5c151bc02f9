/** Bitstring Status List 1.0: the list codec and the status list credential around it. */
package dev.tabard.vc.status;
