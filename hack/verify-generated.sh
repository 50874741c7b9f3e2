#!/usr/bin/env bash
# Fails when anything generated is stale or code is unformatted: regenerates
# CRDs, RBAC and deepcopy, tidies go.mod, and asks git whether anything moved.
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory manifests generate contracts player-assets argocd-cm bundle crd-docs >/dev/null
go mod tidy
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
  echo "verify: these files need gofmt:" >&2
  echo "$unformatted" >&2
  exit 1
fi
if ! git diff --exit-code --stat -- api config go.mod go.sum internal/devchain/contracts contracts/build internal/chain/passes internal/stream/assets bundle bundle.Dockerfile config/argocd docs/crd-reference.md; then
  echo "verify: generated files or go.mod are stale; run 'make manifests generate' and 'go mod tidy', then commit" >&2
  exit 1
fi
untracked="$(git ls-files --others --exclude-standard -- api config internal/devchain/contracts contracts/build internal/chain/passes)"
if [ -n "$untracked" ]; then
  echo "verify: generated files are not committed:" >&2
  echo "$untracked" >&2
  exit 1
fi
go vet ./...
go vet -tags e2e ./test/e2e/...
echo "verify: generated code, manifests and go.mod are up to date"
