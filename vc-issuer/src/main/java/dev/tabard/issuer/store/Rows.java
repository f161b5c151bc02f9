package dev.tabard.issuer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabard.codec.JsonCodec;
import dev.tabard.crypto.VerificationKey;
import dev.tabard.did.Did;
import dev.tabard.issuer.agents.Agent;
import dev.tabard.issuer.delegations.RegisteredDelegation;
import dev.tabard.issuer.keys.OrgKey;
import dev.tabard.vc.AgentClaims;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rows to values and back, for the tables both engines share: org keys, agents, credentials and delegations. The SQL
 * here is what SQLite and PostgreSQL both accept (upserts are {@code INSERT … ON CONFLICT … DO UPDATE}).
 */
final class Rows {

    private Rows() {
    }

    static OrgKey orgKey(ResultSet rs) throws SQLException {
        String retire = rs.getString("retire_after");
        return new OrgKey(rs.getString("id"), VerificationKey.fromMultibase(rs.getString("public_multibase")),
                rs.getString("sealed_private"), OrgKey.State.valueOf(rs.getString("state")),
                Instant.parse(rs.getString("created")), retire == null ? Optional.empty() : Optional.of(Instant.parse(retire)));
    }

    static void putOrgKey(Connection c, OrgKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO org_keys VALUES (?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
                + "public_multibase = excluded.public_multibase, sealed_private = excluded.sealed_private, state = excluded.state, "
                + "created = excluded.created, retire_after = excluded.retire_after")) {
            ps.setString(1, key.id());
            ps.setString(2, key.publicKey().toMultibase());
            ps.setString(3, key.sealedPrivateKey());
            ps.setString(4, key.state().name());
            ps.setString(5, key.created().toString());
            ps.setString(6, key.retireAfter().map(Instant::toString).orElse(null));
            ps.executeUpdate();
        }
    }

    static Agent agent(ResultSet rs) throws SQLException {
        JsonNode cons = JsonCodec.parse(rs.getString("constraints"));
        Optional<AgentClaims.Money> max = cons.has("maxTransactionValue")
                ? Optional.of(new AgentClaims.Money(cons.get("maxTransactionValue").get("amount").asText(),
                cons.get("maxTransactionValue").get("currency").asText())) : Optional.empty();
        List<String> regions = new ArrayList<>();
        cons.path("dataRegions").forEach(n -> regions.add(n.asText()));
        return new Agent(Did.parse(rs.getString("did")), rs.getString("name"),
                new AgentClaims.Operator(rs.getString("operator_name"), Optional.ofNullable(rs.getString("operator_email"))),
                strings(rs.getString("capabilities")),
                new AgentClaims.Constraints(max, regions, cons.path("other").isObject() ? cons.get("other").toString() : "{}"),
                new AgentClaims.Delegation(rs.getInt("delegation_allowed") == 1, rs.getInt("delegation_depth")),
                rs.getInt("active") == 1, Instant.parse(rs.getString("created")), Instant.parse(rs.getString("updated")),
                strings(rs.getString("private_constraints")));
    }

    static void putAgent(Connection c, Agent a) throws SQLException {
        ArrayNode caps = JsonCodec.arrayNode();
        a.capabilities().stream().sorted().forEach(caps::add);
        ObjectNode cons = JsonCodec.objectNode();
        a.constraints().maxTransactionValue().ifPresent(m -> cons.putObject("maxTransactionValue")
                .put("amount", m.amount()).put("currency", m.currency()));
        ArrayNode regions = cons.putArray("dataRegions");
        a.constraints().dataRegions().forEach(regions::add);
        cons.set("other", JsonCodec.parse(a.constraints().otherJson()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (did, name, operator_name, operator_email, capabilities, constraints, "
                + "delegation_allowed, delegation_depth, active, created, updated, private_constraints) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (did) DO UPDATE SET "
                + "name = excluded.name, operator_name = excluded.operator_name, operator_email = excluded.operator_email, "
                + "capabilities = excluded.capabilities, constraints = excluded.constraints, "
                + "delegation_allowed = excluded.delegation_allowed, delegation_depth = excluded.delegation_depth, "
                + "active = excluded.active, created = excluded.created, updated = excluded.updated, "
                + "private_constraints = excluded.private_constraints")) {
            ps.setString(1, a.did().toString());
            ps.setString(2, a.name());
            ps.setString(3, a.operator().name());
            ps.setString(4, a.operator().email().orElse(null));
            ps.setString(5, caps.toString());
            ps.setString(6, cons.toString());
            ps.setInt(7, a.delegation().allowed() ? 1 : 0);
            ps.setInt(8, a.delegation().maxDepth());
            ps.setInt(9, a.active() ? 1 : 0);
            ps.setString(10, a.created().toString());
            ps.setString(11, a.updated().toString());
            ps.setString(12, JsonCodec.writeString(a.privateConstraints().stream().sorted().toList()));
            ps.executeUpdate();
        }
    }

    static IssuedCredential credential(ResultSet rs) throws SQLException {
        return new IssuedCredential(rs.getString("id"), Did.parse(rs.getString("agent_did")),
                Instant.parse(rs.getString("issued")), Instant.parse(rs.getString("valid_until")),
                rs.getInt("revocation_list"), rs.getLong("revocation_index"), rs.getInt("suspension_list"),
                rs.getLong("suspension_index"), rs.getString("key_id"), rs.getString("format"));
    }

    /** Inserts {@code issued} in one batch. */
    static void insertCredentials(Connection c, List<IssuedCredential> issued) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials (id, agent_did, issued, valid_until, "
                + "revocation_list, revocation_index, suspension_list, suspension_index, key_id, format) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (IssuedCredential ic : issued) {
                ps.setString(1, ic.id());
                ps.setString(2, ic.agent().toString());
                ps.setString(3, ic.issued().toString());
                ps.setString(4, ic.validUntil().toString());
                ps.setInt(5, ic.revocationList());
                ps.setLong(6, ic.revocationIndex());
                ps.setInt(7, ic.suspensionList());
                ps.setLong(8, ic.suspensionIndex());
                ps.setString(9, ic.keyId());
                ps.setString(10, ic.format());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static RegisteredDelegation delegation(ResultSet rs) throws SQLException {
        return new RegisteredDelegation(rs.getString("id"), Did.parse(rs.getString("delegator")),
                Did.parse(rs.getString("delegate")), rs.getString("root_credential"), Did.parse(rs.getString("root_agent")),
                rs.getString("parent"), strings(rs.getString("capabilities")), Optional.ofNullable(rs.getString("task")),
                Instant.parse(rs.getString("valid_until")), Instant.parse(rs.getString("registered")));
    }

    static void insertDelegation(Connection c, RegisteredDelegation d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO delegations VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.delegator().toString());
            ps.setString(3, d.delegate().toString());
            ps.setString(4, d.rootCredential());
            ps.setString(5, d.rootAgent().toString());
            ps.setString(6, d.parent());
            ps.setString(7, JsonCodec.writeString(d.capabilities().stream().sorted().toList()));
            ps.setString(8, d.task().orElse(null));
            ps.setString(9, d.validUntil().toString());
            ps.setString(10, d.registered().toString());
            ps.executeUpdate();
        }
    }

    private static Set<String> strings(String jsonArray) {
        Set<String> out = new LinkedHashSet<>();
        JsonCodec.parse(jsonArray).forEach(n -> out.add(n.asText()));
        return out;
    }
}
