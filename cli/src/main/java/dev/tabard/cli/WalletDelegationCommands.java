package dev.tabard.cli;

import dev.tabard.did.Did;
import dev.tabard.wallet.Wallet;
import dev.tabard.wallet.delegation.DelegationRequest;
import dev.tabard.wallet.store.HeldDelegation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The wallet's delegation commands: hand authority to another agent, receive it, list what was given and held. */
final class WalletDelegationCommands {

    private WalletDelegationCommands() {
    }

    @Command(name = "delegate", mixinStandardHelpOptions = true,
            description = {"Sign a delegation link handing capabilities this wallet holds to another agent, and print the chain "
                + "to give it ({\"delegationChain\": [...]}), or write it to --out.",
                "Limits default to this wallet's own; a link lives 10 minutes unless --register has the organization's issuer "
                + "record it (it can then revoke it)."})
    static final class Delegate extends WalletCommand.Base implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "The delegate's DID (its `wallet init` prints it).")
        String to;

        @Option(names = "--capability", required = true, description = "A capability to hand on (repeatable).")
        List<String> capabilities;

        @Option(names = "--max-amount", description = "A lower limit per transaction, as decimal text (with --currency).")
        String maxAmount;

        @Option(names = "--currency", defaultValue = "EUR", description = "The limit's ISO 4217 currency (default: ${DEFAULT-VALUE}).")
        String currency;

        @Option(names = "--region", description = "A data region the delegate may use (repeatable; default: this wallet's).")
        List<String> regions = List.of();

        @Option(names = "--depth", defaultValue = "0", description = "How many more links the delegate may add (default: ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--task", description = "The task the authority is for, recorded in the link.")
        String task;

        @Option(names = "--minutes", defaultValue = "10", description = "How long the link lives, in minutes (default: ${DEFAULT-VALUE}; "
            + "at most 15 unless --register).")
        long minutes;

        @Option(names = "--register", description = "Register the link with the organization's issuer first, so it can be revoked there.")
        boolean register;

        @Option(names = "--out", description = "Write the chain to this file (owner-only) instead of printing it.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Did delegate = Did.tryParse(to).orElseThrow(() -> new IllegalArgumentException("--to must be a DID, such as the one `tabard "
                    + "wallet init` prints for the delegate's wallet"));
            DelegationRequest request = DelegationRequest.to(delegate, Set.copyOf(capabilities)).allowingFurtherDelegation(depth)
                    .lasting(Duration.ofMinutes(minutes));
            if (maxAmount != null) {
                request = request.maxTransactionValue(maxAmount, currency);
            }
            if (!regions.isEmpty()) {
                request = request.dataRegions(regions);
            }
            if (task != null) {
                request = request.task(task);
            }
            if (register) {
                request = request.registered();
            }
            try (Wallet w = open()) {
                HeldDelegation given = w.delegate(request);
                String handover = Wallet.handover(given);
                if (out == null) {
                    System.out.println(handover);
                } else {
                    dev.tabard.issuer.store.OwnerOnlyFiles.writeString(out, handover);
                    System.out.println("wrote " + out + ": give it to " + delegate + " (tabard wallet receive-delegation --file " + out + ")");
                }
                System.err.println("delegated " + new TreeSet<>(given.capabilities()) + " to " + delegate + " until " + given.validUntil()
                        + (given.registration() == HeldDelegation.Registration.REGISTERED ? ", registered (" + given.id() + ")" : ""));
            }
            return 0;
        }
    }

    @Command(name = "receive-delegation", mixinStandardHelpOptions = true,
            description = "Receive a delegation chain given to this wallet (the file `wallet delegate --out` wrote), verified now.")
    static final class Receive extends WalletCommand.Base implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "The chain: {\"delegationChain\": [...]}.")
        Path chain;

        @Override
        public Integer call() throws Exception {
            try (Wallet w = open()) {
                HeldDelegation d = w.receiveDelegation(Files.readString(InputFiles.readable(chain, "the delegation chain (--file)"), StandardCharsets.UTF_8));
                System.out.println("received " + new TreeSet<>(d.capabilities()) + " from " + d.counterparty() + " until " + d.validUntil()
                        + " (" + (d.chain().size() - 1) + " link" + (d.chain().size() > 2 ? "s" : "") + ")");
            }
            return 0;
        }
    }

    @Command(name = "delegations", mixinStandardHelpOptions = true, description = "List the delegations this wallet gave and received.")
    static final class ListDelegations extends WalletCommand.Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Wallet w = open()) {
                for (HeldDelegation.Direction direction : HeldDelegation.Direction.values()) {
                    for (HeldDelegation d : w.delegations(direction)) {
                        System.out.println(WalletCommand.printable((direction == HeldDelegation.Direction.GIVEN ? "gave     " : "received ")
                                + d.id() + "  " + (direction == HeldDelegation.Direction.GIVEN ? "to " : "from ") + d.counterparty() + "  "
                                + new TreeSet<>(d.capabilities()) + "  until " + d.validUntil() + "  " + d.registration().name().toLowerCase()));
                    }
                }
            }
            return 0;
        }
    }
}
