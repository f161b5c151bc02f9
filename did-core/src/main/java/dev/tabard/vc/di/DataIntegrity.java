package dev.tabard.vc.di;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.Base58Btc;
import dev.tabard.codec.JsonCodec;
import dev.tabard.codec.Timestamps;
import dev.tabard.crypto.Signer;
import dev.tabard.did.DidResolver;
import dev.tabard.did.DidUrl;
import dev.tabard.did.Relationship;
import dev.tabard.did.VerificationMethod;
import dev.tabard.jsonld.BundledContexts;
import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates and verifies {@code DataIntegrityProof}s (VC Data Integrity 1.0) with the suites of
 * {@link Cryptosuites}. Proof sets are supported: every proof in the set must verify.
 */
public final class DataIntegrity {

    public static final String PROOF_TYPE = "DataIntegrityProof";

    /** The most proofs a document may carry (SECURITY-NOTES). */
    public static final int MAX_PROOFS = 4;

    private DataIntegrity() {
    }

    /**
     * What a verifier expects of every proof.
     *
     * @param purpose the relationship the key must hold
     * @param challenge the challenge the proof must carry, if one was issued
     * @param domain the domain the proof must carry, if any
     */
    public record Expectations(Relationship purpose, Optional<String> challenge, Optional<String> domain, Clock clock,
                               Duration skew) {
        public Expectations {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(skew, "skew");
        }

        public static Expectations assertion(Clock clock) {
            return new Expectations(Relationship.ASSERTION_METHOD, Optional.empty(), Optional.empty(), clock, Duration.ofSeconds(60));
        }

        public static Expectations authentication(String challenge, String domain, Clock clock) {
            return new Expectations(Relationship.AUTHENTICATION, Optional.of(challenge), Optional.of(domain), clock,
                    Duration.ofSeconds(60));
        }
    }

    /**
     * A proof that verified, and the method that made it. Only {@link #verify} makes one: a final class, not a record,
     * so that no public constructor can claim a verification that did not happen.
     */
    public static final class VerifiedProof {
        private final String cryptosuite;
        private final VerificationMethod method;
        private final Instant created;
        private final byte[] signedHash;

        private VerifiedProof(String cryptosuite, VerificationMethod method, Instant created, byte[] signedHash) {
            this.cryptosuite = cryptosuite;
            this.method = method;
            this.created = created;
            this.signedHash = signedHash;
        }

        /**
         * The cryptosuite's hash data the signature covers (proof options and canonical document): the same for every
         * encoding of the same signed content, so a replay guard can tell a resubmission from a new presentation.
         */
        public byte[] signedHash() {
            return signedHash.clone();
        }

        public String cryptosuite() {
            return cryptosuite;
        }

        /** The verification method whose key the proof verified with. */
        public VerificationMethod method() {
            return method;
        }

        /** The proof's {@code created}, or null when it has none. */
        public Instant created() {
            return created;
        }

        @Override
        public String toString() {
            return "VerifiedProof[" + cryptosuite + ", " + method.id() + "]";
        }
    }

    /** Adds a proof to {@code unsecured} (to the existing set, if it has proofs already). */
    public static ObjectNode sign(ObjectNode unsecured, Signer signer, ProofOptions options, BundledContexts contexts) {
        Objects.requireNonNull(unsecured, "unsecured");
        Cryptosuite suite = Cryptosuites.byName(options.cryptosuite(), signer.keyType())
                .orElseThrow(() -> new IllegalArgumentException("Tabard has no cryptosuite " + options.cryptosuite()
                        + " for " + signer.keyType() + " keys"));
        ObjectNode document = unsecured.deepCopy();
        JsonNode existing = document.remove("proof");
        ObjectNode proof = JsonCodec.objectNode();
        options.id().ifPresent(i -> proof.put("id", i));
        proof.put("type", PROOF_TYPE);
        proof.put("cryptosuite", suite.name());
        proof.put("created", Timestamps.format(options.created().truncatedTo(ChronoUnit.SECONDS)));
        options.expires().ifPresent(e -> proof.put("expires", Timestamps.format(e.truncatedTo(ChronoUnit.SECONDS))));
        proof.put("verificationMethod", options.verificationMethod().toString());
        proof.put("proofPurpose", options.purpose().property());
        options.challenge().ifPresent(c -> proof.put("challenge", c));
        options.domain().ifPresent(d -> proof.put("domain", d));
        options.previousProof().ifPresent(p -> proof.put("previousProof", p));
        if (document.has("@context")) {
            proof.set("@context", document.get("@context").deepCopy());
        }
        ObjectNode config = proof.deepCopy();
        if (!suite.proofKeepsContext()) {
            proof.remove("@context");
        }
        // a chained proof signs the document with the proof it names (§4.3), as withPreviousProofs verifies it
        ObjectNode signed = document;
        if (options.previousProof().isPresent()) {
            List<JsonNode> set = new ArrayList<>();
            if (existing != null) {
                (existing.isArray() ? existing : JsonCodec.arrayNode().add(existing)).forEach(set::add);
            }
            signed = withPreviousProofs(document, proof, set);
        }
        byte[] signature;
        try {
            signature = signer.sign(suite.hashData(signed, config, contexts));
        } catch (ProblemException e) {
            throw new ProblemException(ProblemType.PROOF_GENERATION_ERROR, e.problem().detail());
        }
        proof.put("proofValue", "z" + Base58Btc.encode(signature));
        ObjectNode secured = document.deepCopy();
        if (existing == null) {
            secured.set("proof", proof);
        } else {
            ArrayNode set = existing.isArray() ? (ArrayNode) existing.deepCopy() : JsonCodec.arrayNode().add(existing);
            set.add(proof);
            secured.set("proof", set);
        }
        return secured;
    }

    /**
     * Verifies every proof on {@code secured}.
     *
     * @throws ProblemException {@code PROOF_VERIFICATION_ERROR} at {@code /proof[/i]/created} or {@code /expires} for a
     *     date that is not a {@link Timestamps} dateTimeStamp, and for a missing, malformed or failing proof or a
     *     wrong purpose; {@code INVALID_CHALLENGE_ERROR}, {@code INVALID_DOMAIN_ERROR};
     *     {@code INVALID_VERIFICATION_METHOD}, {@code INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD};
     *     {@code LIMIT_EXCEEDED} past {@link #MAX_PROOFS}; the canonicalization problems of
     *     {@link dev.tabard.jsonld.Rdfc}; DID resolution problems
     */
    public static List<VerifiedProof> verify(ObjectNode secured, DidResolver resolver, Expectations expect,
                                             BundledContexts contexts) {
        Objects.requireNonNull(secured, "secured");
        JsonNode proofs = secured.get("proof");
        if (proofs == null || (proofs.isArray() && proofs.isEmpty())) {
            throw new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR, "the document has no proof");
        }
        List<JsonNode> list = new ArrayList<>();
        if (proofs.isArray()) {
            proofs.forEach(list::add);
        } else {
            list.add(proofs);
        }
        if (list.size() > MAX_PROOFS) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "more than " + MAX_PROOFS + " proofs");
        }
        ObjectNode unsecured = secured.deepCopy();
        unsecured.remove("proof");
        List<VerifiedProof> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String pointer = "/proof" + (proofs.isArray() ? "/" + i : "");
            try {
                out.add(verifyOne(withPreviousProofs(unsecured, list.get(i), list), list.get(i), pointer, resolver, expect, contexts));
            } catch (ProblemException e) {
                List<Problem> at = new ArrayList<>();
                for (Problem p : e.problems()) {
                    at.add(p.pointer().isPresent() ? p : Problem.at(p.type(), pointer, p.detail()));
                }
                throw new ProblemException(at);
            }
        }
        return out;
    }

    /**
     * A chained proof signs the document together with the proofs it names in {@code previousProof}
     * (Data Integrity §4.3); every one of them must be in the set.
     */
    private static ObjectNode withPreviousProofs(ObjectNode unsecured, JsonNode proof, List<JsonNode> all) {
        JsonNode previous = proof.get("previousProof");
        if (previous == null) {
            return unsecured;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode p : previous.isArray() ? previous : JsonCodec.arrayNode().add(previous)) {
            if (!p.isTextual()) {
                throw invalid("previousProof is a proof id (a string) or an array of them");
            }
            ids.add(p.asText());
        }
        ArrayNode matching = JsonCodec.arrayNode();
        for (String id : ids) {
            JsonNode found = all.stream().filter(p -> id.equals(p.path("id").asText(null))).findFirst()
                    .orElseThrow(() -> invalid("previousProof " + id + " is not in the proof set"));
            matching.add(found.deepCopy());
        }
        ObjectNode doc = unsecured.deepCopy();
        doc.set("proof", matching.size() == 1 ? matching.get(0) : matching);
        return doc;
    }

    private static VerifiedProof verifyOne(ObjectNode unsecured, JsonNode node, String pointer, DidResolver resolver,
                                           Expectations expect, BundledContexts contexts) {
        if (!node.isObject()) {
            throw invalid("a proof is an object");
        }
        ObjectNode proof = (ObjectNode) node;
        if (!PROOF_TYPE.equals(proof.path("type").asText())) {
            throw invalid("proof type must be " + PROOF_TYPE + ", not '" + proof.path("type").asText() + "'");
        }
        String suiteName = proof.path("cryptosuite").asText();
        Cryptosuites.requireKnown(suiteName);
        String purpose = proof.path("proofPurpose").asText();
        if (!expect.purpose().property().equals(purpose)) {
            throw invalid("proof purpose '" + purpose + "' is not the expected '" + expect.purpose().property() + "'");
        }
        Instant now = expect.clock().instant();
        Instant created = proofDate(proof, "created", pointer).orElse(null);
        if (created != null && created.isAfter(now.plus(expect.skew()))) {
            throw invalid("the proof was created in the future (" + created + ")");
        }
        Optional<Instant> expires = proofDate(proof, "expires", pointer);
        if (expires.isPresent() && now.minus(expect.skew()).isAfter(expires.get())) {
            throw invalid("the proof expired at " + expires.get());
        }
        if (expect.challenge().isPresent() && !expect.challenge().get().equals(proof.path("challenge").asText(null))) {
            throw new ProblemException(ProblemType.INVALID_CHALLENGE_ERROR, "the proof does not carry the expected challenge");
        }
        if (expect.domain().isPresent() && !domainMatches(proof.get("domain"), expect.domain().get())) {
            throw new ProblemException(ProblemType.INVALID_DOMAIN_ERROR, "the proof is not bound to " + expect.domain().get());
        }
        JsonNode proofContext = proof.get("@context");
        JsonNode docContext = unsecured.get("@context");
        if (proofContext != null && !startsWith(docContext, proofContext)) {
            throw invalid("the document's @context does not begin with the proof's");
        }
        String proofValue = proof.path("proofValue").asText("");
        if (!proofValue.startsWith("z")) {
            throw invalid("proofValue must be multibase base58btc ('z')");
        }
        byte[] signature;
        try {
            signature = Base58Btc.decode(proofValue.substring(1));
        } catch (ProblemException e) {
            throw invalid("proofValue is not base58btc");
        }
        DidUrl vmId = DidUrl.tryParse(proof.path("verificationMethod").asText(""))
                .orElseThrow(() -> new ProblemException(ProblemType.INVALID_VERIFICATION_METHOD_URL,
                        "verificationMethod is not a DID URL"));
        VerificationMethod vm = resolver.resolve(vmId.did()).document().authorize(vmId, expect.purpose());
        Cryptosuite suite = Cryptosuites.require(suiteName, vm.key().type());
        ObjectNode config = proof.deepCopy();
        config.remove("proofValue");
        if (docContext != null && !(suite.proofKeepsContext() && proofContext != null)) {
            config.set("@context", docContext.deepCopy());
        }
        byte[] hashData = suite.hashData(unsecured, config, contexts);
        try {
            vm.key().verifier().verify(hashData, signature);
        } catch (ProblemException e) {
            throw invalid("the " + suite.name() + " signature does not verify");
        }
        return new VerifiedProof(suite.name(), vm, created, hashData);
    }

    private static boolean domainMatches(JsonNode domain, String expected) {
        if (domain == null) {
            return false;
        }
        if (domain.isArray()) {
            for (JsonNode d : domain) {
                if (d.asText().equals(expected)) {
                    return true;
                }
            }
            return false;
        }
        return domain.asText().equals(expected);
    }

    private static boolean startsWith(JsonNode docContext, JsonNode proofContext) {
        List<JsonNode> doc = new ArrayList<>();
        List<JsonNode> prf = new ArrayList<>();
        if (docContext != null) {
            (docContext.isArray() ? docContext : JsonCodec.arrayNode().add(docContext)).forEach(doc::add);
        }
        (proofContext.isArray() ? proofContext : JsonCodec.arrayNode().add(proofContext)).forEach(prf::add);
        if (prf.size() > doc.size()) {
            return false;
        }
        for (int i = 0; i < prf.size(); i++) {
            if (!prf.get(i).equals(doc.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A proof date under {@link Timestamps}' rules. Data Integrity §4.4 asks for {@code PROOF_VERIFICATION_ERROR} when
     * {@code created} or {@code expires} is not a dateTimeStamp (the W3C suite checks it), so the type is that one and
     * the pointer and detail are the parser's.
     */
    private static Optional<Instant> proofDate(ObjectNode proof, String name, String pointer) {
        try {
            return Timestamps.dateTimeStamp(proof, name, pointer);
        } catch (ProblemException e) {
            Problem p = e.problem();
            throw new ProblemException(new Problem(ProblemType.PROOF_VERIFICATION_ERROR, p.detail(), p.pointer()));
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.PROOF_VERIFICATION_ERROR, detail);
    }
}
