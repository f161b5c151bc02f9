package dev.tabard.cli;

import dev.tabard.problem.Problem;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.CheckedCredential;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.CredentialQuery;
import dev.tabard.wallet.store.StoredCredential;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wallet", mixinStandardHelpOptions = true, description = "An agent's wallet file. The secret comes from TABARD_WALLET_SECRET.",
        subcommands = {WalletCommand.Init.class, WalletCommand.Receive.class, WalletCommand.ListCredentials.class,
            WalletCommand.Present.class, WalletCommand.Card.class, WalletDelegationCommands.Delegate.class,
            WalletDelegationCommands.Receive.class, WalletDelegationCommands.ListDelegations.class})
final class WalletCommand {

    static class Base {
        @Option(names = "--wallet", required = true, description = "The wallet file ('tabard wallet init' creates it).")
        Path file;

        @Mixin
        NetOptions net;

        /**
         * The existing wallet: only {@code wallet init} creates one, so a mistyped path is an error pointing there, and
         * an empty or foreign file is refused unchanged.
         */
        Wallet open() throws Exception {
            return open(false);
        }

        Wallet open(boolean create) throws Exception {
            String secret = System.getenv("TABARD_WALLET_SECRET");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("set TABARD_WALLET_SECRET to the wallet's secret");
            }
            SafeFetcher fetcher = net.fetcher();
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer()
                            .formats(TrustPolicy.Format.VC_JWT, TrustPolicy.Format.DATA_INTEGRITY, TrustPolicy.Format.DC_SD_JWT).build())
                    .fetchPolicy(fetcher.policy()).build();
            IssuanceClient issuance = new IssuanceClient(fetcher, Clock.systemUTC());
            if (create && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Wallet.open(file, secret.toCharArray(), verifier, issuance, Clock.systemUTC());
            }
            try {
                return Wallet.openExisting(file, secret.toCharArray(), verifier, issuance, Clock.systemUTC());
            } catch (ProblemException e) {
                if (e.type() == ProblemType.RESOURCE_NOT_FOUND) {
                    throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, e.problem().detail() + "; create one with 'tabard wallet "
                            + "init --wallet " + file + "', or check the path");
                }
                throw e;
            }
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = {"Create the wallet and print its DID; for a wallet that exists, print its DID.",
                "An existing file that is not a wallet (empty, or another kind of file) is refused and left unchanged."})
    static final class Init extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Wallet w = open(true)) {
                System.out.println(w.did());
            }
            return 0;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true, description = "Receive a credential through an OpenID4VCI offer.")
    static final class Receive extends Base implements Callable<Integer> {
        @Option(names = "--offer", required = true, description = "The offer: an openid-credential-offer:// URL or its JSON.")
        String offer;

        @Option(names = "--tx-code", description = "The one-time code, when the offer asks for one.")
        String txCode;

        @Override
        public Integer call() throws Exception {
            try (Wallet w = open()) {
                StoredCredential c = (txCode == null ? w.receive(offer) : w.receive(offer, txCode));
                System.out.println("stored " + c.id() + " from " + c.issuer() + ", valid until " + c.validUntil().orElse(null));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the credentials held, each verified now: validity (from, until) and status: active, expired, "
                + "revoked, suspended, or 'status unknown' when its status list cannot be read.",
                "A row that fails any other check (signature, this wallet's DID, an edited row) is reported on stderr as skipped, "
                + "with the reason. Exit 0 when every credential is active, 1 otherwise."})
    static final class ListCredentials extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            int inactive = 0;
            try (Wallet w = open()) {
                List<CheckedCredential> rows = w.review();
                if (rows.isEmpty()) {
                    System.out.println("no credentials in " + file + "; receive one with 'tabard wallet receive --wallet " + file
                            + " --offer OFFER' (the issuer makes the offer)");
                    return 0;
                }
                Map<String, String> tokens = new HashMap<>();
                w.credentials(CredentialQuery.all()).forEach(c -> tokens.putIfAbsent(c.id(), c.token()));
                for (CheckedCredential c : rows) {
                    if (c.agent().isPresent()) {
                        System.out.println(WalletListing.active(c, tokens.get(c.rowId())));
                        continue;
                    }
                    inactive++;
                    Optional<String> status = WalletListing.inactive(c);
                    if (status.isPresent()) {
                        System.out.println(status.get());
                    } else {
                        Problem p = c.result().errors().get(0);
                        System.err.println(printable("warning: skipped " + c.rowId() + ": not verified: " + p.type().title() + ": "
                                + p.detail()));
                    }
                }
            }
            return inactive == 0 ? 0 : 1;
        }
    }

    /** {@code text} with control characters replaced, so that a row edited into the file cannot drive the terminal. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029
                || Character.getType(cp) == Character.FORMAT ? '?' : cp));
        return out.toString();
    }

    @Command(name = "card", mixinStandardHelpOptions = true,
            description = "Print a signed A2A agent card carrying the wallet's AgentCredential.")
    static final class Card extends Base implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "The agent's name shown on the card.")
        String name;

        @Option(names = "--description", required = true, description = "What the agent does, in a sentence, shown on the card.")
        String description;

        @Option(names = "--organization", required = true, description = "The provider organization's name.")
        String organization;

        @Option(names = "--organization-url", required = true, description = "The provider's URL, on the issuer's host.")
        java.net.URI organizationUrl;

        @Option(names = "--endpoint", required = true, description = "The agent's A2A endpoint URL.")
        java.net.URI endpoint;

        @Option(names = "--skill", required = true, description = "A skill as id:description (repeatable).")
        List<String> skills;

        @Override
        public Integer call() throws Exception {
            List<dev.tabard.wallet.card.AgentCard.Skill> list = new java.util.ArrayList<>();
            for (String s : skills) {
                String[] p = s.split(":", 2);
                list.add(new dev.tabard.wallet.card.AgentCard.Skill(p[0], p[0], p.length > 1 ? p[1] : p[0], List.of()));
            }
            try (Wallet w = open()) {
                var card = w.agentCard(new dev.tabard.wallet.card.AgentCard(name, description, "1.0.0", organization, organizationUrl,
                        endpoint, list));
                System.out.println(dev.tabard.codec.JsonCodec.prettyWriter().writeValueAsString(card));
            }
            return 0;
        }
    }

    @Command(name = "present", mixinStandardHelpOptions = true, description = {"Print a vp+jwt for a verifier's challenge and domain.",
            "With --format dc+sd-jwt: an SD-JWT VC presentation disclosing only the claims named by --disclose, key-bound to the "
                + "challenge (nonce) and domain (audience)."})
    static final class Present extends Base implements Callable<Integer> {
        @Option(names = "--challenge", required = true, description = "The challenge the verifier gave (its POST /challenges answer, or its own nonce).")
        String challenge;

        @Option(names = "--domain", required = true, description = "The verifier's domain the presentation is addressed to (its origin, e.g. https://shop.example).")
        String domain;

        @Option(names = "--capability", description = "A capability the verifier needs (repeatable).")
        List<String> capabilities = List.of();

        @Option(names = "--format", description = "vc+jwt (default) or dc+sd-jwt.")
        String format = "vc+jwt";

        @Option(names = "--disclose", description = "With --format dc+sd-jwt: a claim to disclose, as a dotted path (e.g. "
                + "operator.email, constraints.maxTransactionValue; a number is an array index); repeatable.")
        List<String> disclose = List.of();

        @Override
        public Integer call() throws Exception {
            if (!format.equals("vc+jwt") && !format.equals("dc+sd-jwt")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "--format is vc+jwt or dc+sd-jwt");
            }
            if (!disclose.isEmpty() && format.equals("vc+jwt")) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "--disclose needs --format dc+sd-jwt: a vc+jwt discloses all");
            }
            try (Wallet w = open()) {
                try {
                    if (format.equals("dc+sd-jwt")) {
                        System.out.println(w.presentSdJwt(new PresentationRequest(challenge, domain, java.util.Set.of(),
                                new HashSet<>(capabilities)).disclose(disclose.stream().map(Present::path).toList())));
                        return 0;
                    }
                    System.out.println(w.present(new PresentationRequest(challenge, domain, java.util.Set.of("AgentCredential"),
                            new HashSet<>(capabilities))));
                } catch (ProblemException e) {
                    throw e.type() == ProblemType.MISSING_CAPABILITY ? whyNothingValid(w).orElse(e) : e;
                }
            }
            return 0;
        }

        /** A dotted claim path: names, and non-negative numbers as array indexes. */
        static List<Object> path(String dotted) {
            if (dotted.isEmpty() || dotted.length() > 1024) {
                throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "--disclose takes a dotted claim path such as operator.email");
            }
            List<Object> out = new java.util.ArrayList<>();
            for (String segment : dotted.split("\\.", -1)) {
                if (segment.isEmpty()) {
                    throw new ProblemException(ProblemType.MALFORMED_VALUE_ERROR, "an empty segment in --disclose " + dotted);
                }
                out.add(segment.matches("[0-9]{1,9}") ? (Object) Integer.valueOf(segment) : segment);
            }
            return out;
        }

        /**
         * When nothing valid matches but a held credential would have, what happened to it: expired, revoked or
         * suspended, and what to do (ask the issuer for a new offer), rather than a bare "missing capability".
         */
        private Optional<ProblemException> whyNothingValid(Wallet w) {
            java.util.Set<String> matching = new HashSet<>();
            w.credentials(CredentialQuery.all().withCapabilities(new HashSet<>(capabilities))).forEach(c -> matching.add(c.id()));
            for (CheckedCredential c : w.review()) {
                if (!matching.contains(c.rowId())) {
                    continue;
                }
                for (Problem p : c.result().errors()) {
                    String what = switch (p.type()) {
                        case CREDENTIAL_EXPIRED -> "expired";
                        case CREDENTIAL_REVOKED -> "was revoked";
                        case CREDENTIAL_SUSPENDED -> "is suspended";
                        default -> null;
                    };
                    if (what != null) {
                        return Optional.of(new ProblemException(p.type(), printable("the credential " + c.rowId() + " " + what
                                + " (" + p.detail() + "), and no other valid credential or delegation matches; ask the issuer for a "
                                + "new offer and receive it with 'tabard wallet receive --wallet " + file + " --offer OFFER'")));
                    }
                }
            }
            return Optional.empty();
        }
    }
}
