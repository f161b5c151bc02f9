package dev.tabard.vectors.vcdm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the VC Data Model 2.0 suite fills in before it posts a credential input. */
final class SuiteInputs {

    private SuiteInputs() {
    }

    /** Sets the issuer (or its missing id) and replaces the suite's {@code PAST DATE}/{@code FUTURE DATE} placeholders. */
    static ObjectNode prepare(ObjectNode doc, String issuer) {
        JsonNode issuerNode = doc.get("issuer");
        if (issuerNode == null) {
            doc.put("issuer", issuer);
        } else if (issuerNode.isObject() && !issuerNode.has("id")) {
            ((ObjectNode) issuerNode).put("id", issuer);
        }
        for (String date : new String[] {"validFrom", "validUntil"}) {
            String v = doc.path(date).asText("");
            if (v.equals("PAST DATE")) {
                doc.put(date, "2020-01-01T00:00:00Z");
            } else if (v.equals("FUTURE DATE")) {
                doc.put(date, "2040-01-01T00:00:00Z");
            }
        }
        return doc;
    }
}
