package dev.tabard.cli;

import dev.tabard.problem.Problem;
import dev.tabard.fetch.SafeFetcher;
import dev.tabard.verifier.AgentIdentity;
import dev.tabard.verifier.TrustPolicy;
import dev.tabard.verifier.Verifier;
import dev.tabard.wallet.CheckedCredential;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.oid4vci.IssuanceClient;
import dev.tabard.wallet.present.PresentationRequest;
import dev.tabard.wallet.store.StoredCredential;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
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
        @Option(names = "--wallet", required = true, description = "The wallet file.")
        Path file;

        @Mixin
        NetOptions net;

        Wallet open() throws Exception {
            String secret = System.getenv("TABARD_WALLET_SECRET");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("set TABARD_WALLET_SECRET to the wallet's secret");
            }
            SafeFetcher fetcher = net.fetcher();
            Verifier verifier = Verifier.builder().trustPolicy(TrustPolicy.builder().trustAnyIssuer().build())
                    .fetchPolicy(fetcher.policy()).build();
            return Wallet.open(file, secret.toCharArray(), verifier, new IssuanceClient(fetcher, Clock.systemUTC()), Clock.systemUTC());
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create the wallet (if needed) and print its DID.")
    static final class Init extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Wallet w = open()) {
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
            description = {"List the credentials held that verify now (signature, dates, status, this wallet's DID).",
                "Every other row is reported on stderr as skipped, with the reason; the exit code is then 1."})
    static final class ListCredentials extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            int skipped = 0;
            try (Wallet w = open()) {
                for (CheckedCredential c : w.review()) {
                    if (c.agent().isPresent()) {
                        AgentIdentity a = c.agent().get();
                        System.out.println(printable(a.credentialId().map(Object::toString).orElse(c.rowId()) + "  " + a.organization()
                                + "  " + new TreeSet<>(a.capabilities()) + "  until " + a.validUntil().map(Object::toString).orElse("-")));
                    } else {
                        skipped++;
                        Problem p = c.result().errors().get(0);
                        System.err.println(printable("warning: skipped " + c.rowId() + ": not verified: " + p.type().title() + ": "
                                + p.detail()));
                    }
                }
            }
            return skipped == 0 ? 0 : 1;
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
                System.out.println(dev.tabard.codec.JsonCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(card));
            }
            return 0;
        }
    }

    @Command(name = "present", mixinStandardHelpOptions = true, description = "Print a vp+jwt for a verifier's challenge and domain.")
    static final class Present extends Base implements Callable<Integer> {
        @Option(names = "--challenge", required = true, description = "The challenge the verifier gave (its POST /challenges answer, or its own nonce).")
        String challenge;

        @Option(names = "--domain", required = true, description = "The verifier's domain the presentation is addressed to (its origin, e.g. https://shop.example).")
        String domain;

        @Option(names = "--capability", description = "A capability the verifier needs (repeatable).")
        List<String> capabilities = List.of();

        @Override
        public Integer call() throws Exception {
            try (Wallet w = open()) {
                System.out.println(w.present(new PresentationRequest(challenge, domain, java.util.Set.of("AgentCredential"),
                        new HashSet<>(capabilities))));
            }
            return 0;
        }
    }
}
