/** The VC 2.0 data model (VC 1.1 recognised): credentials, presentations and the AgentCredential's claims. */
package dev.tabard.vc;
