#!/usr/bin/env bash
# The quick start: an organization's issuer, one agent's wallet and a counterparty's check, all on this machine.
# Run it from the repository after the build (mvn -q -B -DskipTests install): bash docs/quickstart.sh
set -euo pipefail
tabard=${TABARD:-cli/target/tabard/bin/tabard}   # the launcher the build makes
port=${PORT:-8443}                               # 0 takes any free port
work=$(mktemp -d "${TMPDIR:-/tmp}/tabard-quickstart.XXXXXX")
echo "data in $work"
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }   # one string member of a JSON answer

# 1. The organization starts its issuer on localhost, with a TLS certificate it makes itself
#    (written to $work/acme/tls-cert.pem, for the clients to trust). The first start prints an admin token once.
"$tabard" issuer serve --port "$port" --data "$work/acme" --org-name "ACME Corp" --tls-self-signed \
  >"$work/issuer.out" 2>"$work/issuer.log" &
issuer_pid=$!
trap 'kill $issuer_pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  grep -q '^issuer ' "$work/issuer.out" && break
  kill -0 $issuer_pid 2>/dev/null || { cat "$work/issuer.log" >&2; exit 1; }
  sleep 0.1
done
issuer=$(sed -n 's/^issuer \([^ ]*\) serving \([^ ]*\) on .*/\2/p' "$work/issuer.out")
issuer_did=$(sed -n 's/^issuer \([^ ]*\) serving .*/\1/p' "$work/issuer.out")
token=$(sed -n 's/^admin token (shown once, keep it): //p' "$work/issuer.out")
cert=$work/acme/tls-cert.pem
echo "issuer $issuer_did at $issuer"
admin() { curl -sS --fail-with-body --cacert "$cert" -H "Authorization: Bearer $token" "$@"; echo; }

# 2. An agent creates its wallet: a key pair, encrypted under TABARD_WALLET_SECRET. Its did:key is its identity.
export TABARD_WALLET_SECRET=${TABARD_WALLET_SECRET:-change-me-to-a-long-secret}
wallet=$work/procurement.wallet
agent=$("$tabard" wallet init --wallet "$wallet")
echo "agent $agent"

# 3. The organization registers the agent, with what it may do, and makes it a credential offer with a one-time code.
admin -H 'Content-Type: application/json' -d '{"did":"'"$agent"'","name":"procurement-agent",
  "operator":{"name":"Procurement team"},"capabilities":["supplier:lookup"]}' "$issuer/admin/agents"
offer=$(admin -X POST "$issuer/admin/agents/$agent/offer?tx_code=true")
offer_url=$(echo "$offer" | field offer_url)
tx_code=$(echo "$offer" | field tx_code)

# 4. The wallet takes the offer (the URL, and the code given to it separately) and holds its AgentCredential.
#    localhost is not a public address and the certificate is not from a CA: both are allowed by name.
net=(--allow-host localhost --trust-cert "$cert")
"$tabard" wallet receive --wallet "$wallet" --offer "$offer_url" --tx-code "$tx_code" "${net[@]}"
"$tabard" wallet list --wallet "$wallet" "${net[@]}"

# 5. A supplier trusts this organization's issuer and asks for the capability its service needs.
cat >"$work/supplier-policy.json" <<EOF
{"trustedIssuers": ["$issuer_did"], "requiredCapabilities": ["supplier:lookup"]}
EOF

# 6. The supplier gives a fresh challenge; the agent answers with a presentation bound to it and to the supplier.
challenge=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
"$tabard" wallet present --wallet "$wallet" --challenge "$challenge" --domain https://supplier.example \
  --capability supplier:lookup "${net[@]}" >"$work/presentation.jwt"
"$tabard" verify --policy "$work/supplier-policy.json" --challenge "$challenge" --domain https://supplier.example \
  "${net[@]}" "$work/presentation.jwt"

# 7. The organization revokes the credential; the same agent is now refused (verify exits 1).
credential=$(admin "$issuer/admin/agents/$agent/credentials" | field id)
admin -X POST "$issuer/admin/credentials/$credential/revoke"
challenge=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
"$tabard" wallet present --wallet "$wallet" --challenge "$challenge" --domain https://supplier.example \
  --capability supplier:lookup "${net[@]}" >"$work/presentation.jwt"
if "$tabard" verify --policy "$work/supplier-policy.json" --challenge "$challenge" --domain https://supplier.example \
  "${net[@]}" "$work/presentation.jwt"; then
  echo "unexpected: a revoked credential verified" >&2
  exit 1
fi
echo "refused after revocation, as it should be; the issuer stops now (its data stays in $work)"
