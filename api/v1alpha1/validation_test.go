package v1alpha1_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Valid manifests of each kind; every invalid case breaks one rule of one.
var validManifests = map[string]string{
	"Video": `
apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: v}
spec:
  source: {url: "https://media.example.com/a.mp4"}
  ladder:
  - {name: 720p, height: 720, videoKbps: 3000}
  - {name: 360p, height: 360, videoKbps: 800}
  output: {volume: {claimName: media, path: tenant/a}}
`,
	"StoredVideo": `
apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: sv}
spec:
  source:
    url: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/films/intro.mp4"
    ipfs: {gateway: "http://ipfs-gateway.storage:8080"}
  output:
    objectStore:
      endpoint: "https://s3.eu-west-1.amazonaws.com"
      region: eu-west-1
      pathStyle: false
      credentialsSecretRef: {name: s3-creds}
      bucket: tenant-media
      prefix: films/intro
`,
	"IPFSVideo": `
apiVersion: streamgate.io/v1alpha1
kind: Video
metadata: {name: iv}
spec:
  source:
    url: "s3://uploads.example/raw/intro.mp4"
    s3: {endpoint: "http://versitygw.storage:7070", credentialsSecretRef: {name: s3-creds}}
  output:
    ipfs: {api: "http://kubo.storage:5001", pin: true}
`,
	"TranscodeJob": `
apiVersion: streamgate.io/v1alpha1
kind: TranscodeJob
metadata: {name: tj}
spec:
  source: {volume: {claimName: uploads, path: raw/a.mp4}}
  ladder:
  - {name: 720p, height: 720, videoKbps: 3000}
  output: {volume: {claimName: media, path: tenant/a}}
`,
	"StreamEndpoint": `
apiVersion: streamgate.io/v1alpha1
kind: StreamEndpoint
metadata: {name: se}
spec:
  videoSelector: {matchLabels: {app: a}}
  replicas: 2
  tokenTTL: 10m
  allowedOrigins: ["https://watch.example.com"]
  signIn:
    origins: ["https://watch.example.com", "http://127.0.0.1:8080", "http://[::1]:8080"]
    trustedProxies: ["10.0.0.0/8", "192.0.2.1"]
    rateLimit: {perClientPerMinute: 60, perWalletPerMinute: 5}
  autoscaling: {minReplicas: 2, maxReplicas: 4}
`,
	"NFTGate": `
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata: {name: g}
spec:
  chain: {family: evm, chainId: 1, rpc: {secretRef: {name: rpc}}}
  anyOf:
  - {standard: ERC721, contract: "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}
  - {standard: ERC1155, contract: "0x495f947276749Ce646f68AC8c248420045cb7b5e", tokenIds: ["7"], minBalance: "2"}
`,
	"PassGate": `
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata: {name: pg}
spec:
  chain: {family: evm, chainId: 1, rpc: {secretRef: {name: rpc}}}
  indexerRef: {name: ci}
  allOf:
  - {standard: ERC5643, contract: "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}
  - {standard: ERC4907, contract: "0x495f947276749Ce646f68AC8c248420045cb7b5e", ownersDuringRental: true}
`,
	"SolanaGate": `
apiVersion: streamgate.io/v1alpha1
kind: NFTGate
metadata: {name: sg}
spec:
  chain: {family: solana, network: devnet, rpc: {secretRef: {name: rpc}}}
  anyOf:
  - {standard: Metaplex, collection: J1S9H3QjnRtBbbuD4HjPV6RpRhwuk4zKbxsnCHuTgh9w}
`,
	"ChainIndexer": `
apiVersion: streamgate.io/v1alpha1
kind: ChainIndexer
metadata: {name: ci}
spec:
  chain: {family: evm, chainId: 1, rpc: {secretRef: {name: rpc}}}
  contracts:
  - {address: "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D", standard: ERC721}
  - {address: "0x495f947276749Ce646f68AC8c248420045cb7b5e", standard: ERC1155, fromBlock: 10}
`,
}

// edit sets (or, for a nil value, removes) one field, addressed by a dotted
// path in which a number is a list index: "spec.ladder.0.height".
type edit struct {
	path  string
	value any
}

type invalidCase struct {
	name    string
	base    string
	edits   []edit
	field   string // the field path the API server names
	message string // a part of its message
}

var invalidCases = []invalidCase{
	// Video
	{"video with url and volume", "Video", []edit{{"spec.source.volume", map[string]any{"claimName": "u", "path": "a.mp4"}}},
		"spec.source", "exactly one of source.url or source.volume must be set"},
	{"video with no source", "Video", []edit{{"spec.source.url", nil}},
		"spec.source", "exactly one of source.url or source.volume must be set"},
	{"video from ftp", "Video", []edit{{"spec.source.url", "ftp://media.example.com/a.mp4"}},
		"spec.source.url", "url must be an absolute http://, https://, s3:// or ipfs:// URL"},
	{"video url without host", "Video", []edit{{"spec.source.url", "https:///a.mp4"}},
		"spec.source.url", "url must be an absolute http://, https://, s3:// or ipfs:// URL"},
	{"video with short sha256", "Video", []edit{{"spec.source.sha256", "abc123"}},
		"spec.source.sha256", "sha256 must be 64 hexadecimal characters"},
	{"video output escaping with ..", "Video", []edit{{"spec.output.volume.path", "tenant/../../etc"}},
		"spec.output.volume.path", "path must not contain a '..' segment"},
	{"video output absolute", "Video", []edit{{"spec.output.volume.path", "/etc/passwd"}},
		"spec.output.volume.path", "path must be relative to the volume root"},
	{"video source volume path is ..", "Video", []edit{{"spec.source.url", nil}, {"spec.source.volume", map[string]any{"claimName": "u", "path": ".."}}},
		"spec.source.volume.path", "path must not contain a '..' segment"},
	{"video output claim ..", "Video", []edit{{"spec.output.volume.claimName", ".."}},
		"spec.output.volume.claimName", "claimName must be a PersistentVolumeClaim name"},
	{"video output claim with a slash", "Video", []edit{{"spec.output.volume.claimName", "media/x"}},
		"spec.output.volume.claimName", "claimName must be a PersistentVolumeClaim name"},
	{"video output path .", "Video", []edit{{"spec.output.volume.path", "."}},
		"spec.output.volume.path", "path must not contain an empty or '.' segment"},
	{"video output path with //", "Video", []edit{{"spec.output.volume.path", "tenant//a"}},
		"spec.output.volume.path", "path must not contain an empty or '.' segment"},
	{"video output path with a trailing /", "Video", []edit{{"spec.output.volume.path", "tenant/a/"}},
		"spec.output.volume.path", "path must not contain an empty or '.' segment"},
	{"video ladder names repeat", "Video", []edit{{"spec.ladder.1.name", "720p"}},
		"spec.ladder", "ladder rendition names must be unique"},
	{"video odd height", "Video", []edit{{"spec.ladder.0.height", 721}},
		"spec.ladder[0].height", "height must be an even number of pixels"},
	{"video height below 144", "Video", []edit{{"spec.ladder.1.height", 120}},
		"spec.ladder[1].height", "should be greater than or equal to 144"},
	{"video height above 4320", "Video", []edit{{"spec.ladder.0.height", 4322}},
		"spec.ladder[0].height", "should be less than or equal to 4320"},
	{"video rendition name with capitals", "Video", []edit{{"spec.ladder.0.name", "HD"}},
		"spec.ladder[0].name", "rendition name must be lower-case letters, digits and '-'"},
	{"video segment of 11s", "Video", []edit{{"spec.segmentSeconds", 11}},
		"spec.segmentSeconds", "should be less than or equal to 10"},
	{"video audio of 16 kbps", "Video", []edit{{"spec.audioKbps", 16}},
		"spec.audioKbps", "should be greater than or equal to 32"},
	{"video without output", "Video", []edit{{"spec.output", nil}},
		"spec.output", "Required value"},
	{"video empty ladder", "Video", []edit{{"spec.ladder", []any{}}},
		"spec.ladder", "should have at least 1 items"},

	// Stored sources and outputs
	{"s3 url without s3", "IPFSVideo", []edit{{"spec.source.s3", nil}},
		"spec.source", "source.s3 (the store's endpoint and credentials) is required with an s3:// url"},
	{"s3 settings on an https url", "IPFSVideo", []edit{{"spec.source.url", "https://media.example.com/a.mp4"}},
		"spec.source", "source.s3 (the store's endpoint and credentials) is required with an s3:// url, and only with one"},
	{"s3 url without a key", "IPFSVideo", []edit{{"spec.source.url", "s3://uploads.example"}},
		"spec.source.url", "an s3 url is s3://bucket/key"},
	{"s3 url with a capital bucket", "IPFSVideo", []edit{{"spec.source.url", "s3://Uploads/raw/a.mp4"}},
		"spec.source.url", "an s3 url is s3://bucket/key"},
	{"ipfs url with a bad CID", "StoredVideo", []edit{{"spec.source.url", "ipfs://notacid/intro.mp4"}},
		"spec.source.url", "an ipfs url is ipfs://CID[/path]"},
	{"ipfs url with ..", "StoredVideo", []edit{{"spec.source.url", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/../x.mp4"}},
		"spec.source.url", "an ipfs url's path must not contain a '.' or '..' segment"},
	{"ipfs settings on an s3 url", "IPFSVideo", []edit{{"spec.source.ipfs", map[string]any{"api": "http://kubo:5001"}}},
		"spec.source", "source.ipfs is only for an ipfs:// url"},
	{"ipfs source with neither api nor gateway", "StoredVideo", []edit{{"spec.source.ipfs", map[string]any{}}},
		"spec.source.ipfs", "set ipfs.api (a kubo RPC URL), ipfs.gateway (an HTTP gateway URL), or both"},
	{"gopher url", "Video", []edit{{"spec.source.url", "gopher://media.example.com/a.mp4"}},
		"spec.source.url", "url must be an absolute http://, https://, s3:// or ipfs:// URL"},
	{"s3 endpoint with a user", "IPFSVideo", []edit{{"spec.source.s3.endpoint", "http://key:secret@versitygw:7070"}},
		"spec.source.s3.endpoint", "endpoint must be http(s)://host[:port] with no path, user or query"},
	{"s3 endpoint with a path", "StoredVideo", []edit{{"spec.output.objectStore.endpoint", "https://s3.amazonaws.com/bucket"}},
		"spec.output.objectStore.endpoint", "endpoint must be http(s)://host[:port] with no path, user or query"},
	{"s3 endpoint over ftp", "StoredVideo", []edit{{"spec.output.objectStore.endpoint", "ftp://s3.amazonaws.com"}},
		"spec.output.objectStore.endpoint", "endpoint must be http(s)://host[:port] with no path, user or query"},
	{"objectStore without credentials", "StoredVideo", []edit{{"spec.output.objectStore.credentialsSecretRef", nil}},
		"spec.output.objectStore.credentialsSecretRef", "Required value"},
	{"objectStore bucket with capitals", "StoredVideo", []edit{{"spec.output.objectStore.bucket", "Tenant"}},
		"spec.output.objectStore.bucket", "should match"},
	{"objectStore prefix with ..", "StoredVideo", []edit{{"spec.output.objectStore.prefix", "films/../../other"}},
		"spec.output.objectStore.prefix", "prefix must not contain a '..' segment"},
	{"objectStore prefix absolute", "StoredVideo", []edit{{"spec.output.objectStore.prefix", "/films"}},
		"spec.output.objectStore.prefix", "prefix must be relative"},
	{"objectStore public URL over http", "StoredVideo", []edit{{"spec.output.objectStore.publicBaseURL", "http://cdn.example.com"}},
		"spec.output.objectStore.publicBaseURL", "publicBaseURL must be an https URL"},
	{"two outputs", "StoredVideo", []edit{{"spec.output.volume", map[string]any{"claimName": "media", "path": "a"}}},
		"spec.output", "exactly one of output.volume, output.objectStore or output.ipfs must be set"},
	{"no output kind", "StoredVideo", []edit{{"spec.output.objectStore", nil}},
		"spec.output", "exactly one of output.volume, output.objectStore or output.ipfs must be set"},
	{"ipfs output without api", "IPFSVideo", []edit{{"spec.output.ipfs.api", nil}},
		"spec.output.ipfs.api", "Required value"},
	{"ipfs output api not a URL", "IPFSVideo", []edit{{"spec.output.ipfs.api", "kubo:5001"}},
		"spec.output.ipfs.api", "api must be an http(s) URL with no user"},

	// TranscodeJob
	{"transcodejob without ladder", "TranscodeJob", []edit{{"spec.ladder", nil}},
		"spec.ladder", "Required value"},
	{"transcodejob javascript url", "TranscodeJob", []edit{{"spec.source.volume", nil}, {"spec.source.url", "javascript:alert(1)"}},
		"spec.source.url", "url must be an absolute http://, https://, s3:// or ipfs:// URL"},
	{"transcodejob backoffLimit 11", "TranscodeJob", []edit{{"spec.backoffLimit", 11}},
		"spec.backoffLimit", "should be less than or equal to 10"},
	{"transcodejob deadline 10s", "TranscodeJob", []edit{{"spec.activeDeadlineSeconds", 10}},
		"spec.activeDeadlineSeconds", "should be greater than or equal to 60"},
	{"transcodejob source path with ..", "TranscodeJob", []edit{{"spec.source.volume.path", "raw/../../secret"}},
		"spec.source.volume.path", "path must not contain a '..' segment"},
	{"transcodejob without output claim", "TranscodeJob", []edit{{"spec.output.volume.claimName", nil}},
		"spec.output.volume.claimName", "Required value"},

	// StreamEndpoint
	{"endpoint without selector", "StreamEndpoint", []edit{{"spec.videoSelector", nil}},
		"spec.videoSelector", "Required value"},
	{"endpoint with 0 replicas", "StreamEndpoint", []edit{{"spec.replicas", 0}},
		"spec.replicas", "should be greater than or equal to 1"},
	{"endpoint with 101 replicas", "StreamEndpoint", []edit{{"spec.replicas", 101}},
		"spec.replicas", "should be less than or equal to 100"},
	{"endpoint token TTL 30s", "StreamEndpoint", []edit{{"spec.tokenTTL", "30s"}},
		"spec.tokenTTL", "tokenTTL must be between 1m and 24h"},
	{"endpoint token TTL 48h", "StreamEndpoint", []edit{{"spec.tokenTTL", "48h"}},
		"spec.tokenTTL", "tokenTTL must be between 1m and 24h"},
	{"endpoint token TTL not a duration", "StreamEndpoint", []edit{{"spec.tokenTTL", "soon"}},
		"spec.tokenTTL", "spec.tokenTTL in body must be of type duration"},
	{"endpoint autoscaling min above max", "StreamEndpoint", []edit{{"spec.autoscaling.minReplicas", 5}},
		"spec.autoscaling", "autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas"},
	{"endpoint origin without scheme", "StreamEndpoint", []edit{{"spec.allowedOrigins", []any{"watch.example.com"}}},
		"spec.allowedOrigins", "each allowed origin must be scheme://host[:port]"},
	{"endpoint origin with path", "StreamEndpoint", []edit{{"spec.allowedOrigins", []any{"https://watch.example.com/app"}}},
		"spec.allowedOrigins", "each allowed origin must be scheme://host[:port]"},
	{"sign-in origin with a path", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://watch.example.com/app"}}},
		"spec.signIn.origins", "each origin must be scheme://host[:port]"},
	{"sign-in origin with a trailing slash", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://watch.example.com/"}}},
		"spec.signIn.origins", "each origin must be scheme://host[:port]"},
	{"sign-in origin with userinfo", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://user@watch.example.com"}}},
		"spec.signIn.origins", "each origin must be scheme://host[:port]"},
	{"sign-in origin in capitals", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://Watch.Example.com"}}},
		"spec.signIn.origins", "a lower-case host name"},
	{"sign-in origin with a wildcard", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://*.example.com"}}},
		"spec.signIn.origins", "each origin must be scheme://host[:port]"},
	{"sign-in origin over ftp", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"ftp://watch.example.com"}}},
		"spec.signIn.origins", "each origin must be scheme://host[:port]"},
	{"sign-in origin port 70000", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{"https://watch.example.com:70000"}}},
		"spec.signIn.origins", "an origin's port must be at most 65535"},
	{"sign-in with no origins", "StreamEndpoint", []edit{{"spec.signIn.origins", []any{}}},
		"spec.signIn.origins", "should have at least 1 items"},
	{"trusted proxy not an address", "StreamEndpoint", []edit{{"spec.signIn.trustedProxies", []any{"ingress.example.com"}}},
		"spec.signIn.trustedProxies", "each trusted proxy must be an IP address or a CIDR"},
	{"rate limit of 0", "StreamEndpoint", []edit{{"spec.signIn.rateLimit.perWalletPerMinute", 0}},
		"spec.signIn.rateLimit.perWalletPerMinute", "should be greater than or equal to 1"},
	{"endpoint service type Ingress", "StreamEndpoint", []edit{{"spec.service", map[string]any{"type": "Ingress"}}},
		"spec.service.type", "Unsupported value"},
	{"endpoint service port 70000", "StreamEndpoint", []edit{{"spec.service", map[string]any{"port": 70000}}},
		"spec.service.port", "should be less than or equal to 65535"},

	// NFTGate
	{"gate with anyOf and allOf", "NFTGate", []edit{{"spec.allOf", []any{map[string]any{"standard": "ERC20", "contract": "0x495f947276749Ce646f68AC8c248420045cb7b5e"}}}},
		"spec", "exactly one of anyOf or allOf must be set"},
	{"gate with no condition list", "NFTGate", []edit{{"spec.anyOf", nil}},
		"spec", "exactly one of anyOf or allOf must be set"},
	{"gate evm without chainId", "NFTGate", []edit{{"spec.chain.chainId", nil}},
		"spec.chain", "chain.chainId is required when chain.family is evm"},
	{"gate chainId 0", "NFTGate", []edit{{"spec.chain.chainId", 0}},
		"spec.chain.chainId", "should be greater than or equal to 1"},
	{"gate solana with chainId", "SolanaGate", []edit{{"spec.chain.chainId", 1}},
		"spec.chain", "chain.chainId applies to evm chains only"},
	{"gate solana without network", "SolanaGate", []edit{{"spec.chain.network", nil}},
		"spec.chain", "chain.network is required when chain.family is solana"},
	{"gate unknown solana network", "SolanaGate", []edit{{"spec.chain.network", "mainnet"}},
		"spec.chain.network", "Unsupported value"},
	{"gate bad contract address", "NFTGate", []edit{{"spec.anyOf.0.contract", "0x1234"}},
		"spec.anyOf[0].contract", "contract must be an EVM address"},
	{"gate Metaplex on evm", "NFTGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "Metaplex", "collection": "J1S9H3QjnRtBbbuD4HjPV6RpRhwuk4zKbxsnCHuTgh9w"}}},
		"spec", "standard does not match chain.family"},
	{"gate ERC721 on solana", "SolanaGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "ERC721", "contract": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}}},
		"spec", "standard does not match chain.family"},
	{"gate ERC1155 without tokenIds", "NFTGate", []edit{{"spec.anyOf.1.tokenIds", nil}},
		"spec.anyOf[1]", "ERC1155 conditions need at least one tokenId"},
	{"gate ERC721 without contract", "NFTGate", []edit{{"spec.anyOf.0.contract", nil}},
		"spec.anyOf[0]", "contract is required for every evm condition"},
	{"gate ERC5643 without tokenIds", "NFTGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "ERC5643", "contract": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}}},
		"spec", "ERC5643 and ERC4907 conditions need tokenIds unless the gate has an indexerRef"},
	{"pass gate ERC4907 without tokenIds nor indexer", "PassGate", []edit{{"spec.indexerRef", nil}},
		"spec", "ERC5643 and ERC4907 conditions need tokenIds unless the gate has an indexerRef"},
	{"gate UnlockKey with tokenIds", "NFTGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "UnlockKey", "contract": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D", "tokenIds": []any{"1"}}}},
		"spec.anyOf[0]", "tokenIds apply to ERC721, ERC1155, ERC5643 and ERC4907 conditions only"},
	{"gate ownersDuringRental on ERC721", "NFTGate", []edit{{"spec.anyOf.0.ownersDuringRental", true}},
		"spec.anyOf[0]", "ownersDuringRental applies to ERC4907 conditions only"},
	{"gate minBalance on ERC5643", "NFTGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "ERC5643", "contract": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D", "tokenIds": []any{"1"}, "minBalance": "2"}}},
		"spec.anyOf[0]", "minBalance applies to ERC1155, ERC20 and Metaplex conditions only"},
	{"gate UnlockKey on solana", "SolanaGate", []edit{{"spec.anyOf.0", map[string]any{"standard": "UnlockKey", "contract": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}}},
		"spec", "standard does not match chain.family"},
	{"gate collection not base58", "SolanaGate", []edit{{"spec.anyOf.0.collection", "0OIlJ1S9H3QjnRtBbbuD4HjPV6RpRhwuk4zK"}},
		"spec.anyOf[0].collection", "collection must be a base58 Solana address"},
	{"gate negative minBalance", "NFTGate", []edit{{"spec.anyOf.1.minBalance", "-1"}},
		"spec.anyOf[1].minBalance", "minBalance must be a positive decimal integer"},
	{"gate tokenId not decimal", "NFTGate", []edit{{"spec.anyOf.1.tokenIds", []any{"0x07"}}},
		"spec.anyOf[1].tokenIds", "each tokenId must be a decimal integer"},
	{"gate with 17 conditions", "NFTGate", []edit{{"spec.anyOf", seventeenConditions()}},
		"spec.anyOf", "must have at most 16 items"},
	{"gate indexer on solana", "SolanaGate", []edit{{"spec.indexerRef", map[string]any{"name": "ix"}}},
		"spec", "indexerRef is supported for evm chains only"},
	{"gate cache TTL 2h", "NFTGate", []edit{{"spec.cacheTTL", "2h"}},
		"spec.cacheTTL", "cacheTTL must be between 0s and 1h"},
	{"gate rpc without secret name", "NFTGate", []edit{{"spec.chain.rpc.secretRef.name", nil}},
		"spec.chain.rpc.secretRef.name", "Required value"},

	// ChainIndexer
	{"indexer on solana", "ChainIndexer", []edit{{"spec.chain", map[string]any{"family": "solana", "network": "devnet", "rpc": map[string]any{"secretRef": map[string]any{"name": "rpc"}}}}},
		"spec", "ChainIndexer supports chain.family evm only"},
	{"indexer without contracts", "ChainIndexer", []edit{{"spec.contracts", []any{}}},
		"spec.contracts", "should have at least 1 items"},
	{"indexer duplicate contract", "ChainIndexer", []edit{{"spec.contracts.1.address", "0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d"}},
		"spec.contracts", "contract addresses must be unique"},
	{"indexer bad address", "ChainIndexer", []edit{{"spec.contracts.0.address", "0xZZ4CA0EdA7647A8aB7C2061c2E118A18a936f13D"}},
		"spec.contracts[0].address", "address must be an EVM address"},
	{"indexer Metaplex contract", "ChainIndexer", []edit{{"spec.contracts.0.standard", "Metaplex"}},
		"spec.contracts[0].standard", "a ChainIndexer follows ERC721, ERC1155 and ERC20 contracts only"},
	{"indexer 1001 confirmations", "ChainIndexer", []edit{{"spec.confirmations", 1001}},
		"spec.confirmations", "should be less than or equal to 1000"},
	{"indexer batch of 0 blocks", "ChainIndexer", []edit{{"spec.batchBlocks", 0}},
		"spec.batchBlocks", "should be greater than or equal to 1"},
	{"indexer poll every 10m", "ChainIndexer", []edit{{"spec.pollInterval", "10m"}},
		"spec.pollInterval", "pollInterval must be between 100ms and 5m"},
	{"indexer negative fromBlock", "ChainIndexer", []edit{{"spec.contracts.0.fromBlock", -1}},
		"spec.contracts[0].fromBlock", "should be greater than or equal to 0"},
}

func seventeenConditions() []any {
	out := make([]any, 17)
	for i := range out {
		out[i] = map[string]any{"standard": "ERC721", "contract": fmt.Sprintf("0x%040x", i+1)}
	}
	return out
}

// TestInvalidManifestsAreRefused sends each broken manifest to the real API
// server and expects it to be refused as Invalid, naming the broken field
// with a message a person understands. Each base manifest is first checked
// to be accepted, so every refusal comes from the one edit.
func TestInvalidManifestsAreRefused(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	perKind := map[string]int{}
	for base, manifest := range validManifests {
		obj := parseManifest(t, manifest)
		obj.SetNamespace(ns)
		obj.SetName("valid-" + strings.ToLower(base))
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatalf("valid %s refused: %v", base, err)
		}
	}
	for i, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			obj := parseManifest(t, validManifests[tc.base])
			for _, e := range tc.edits {
				if err := setPath(obj.Object, strings.Split(e.path, "."), e.value); err != nil {
					t.Fatalf("edit %s: %v", e.path, err)
				}
			}
			obj.SetNamespace(ns)
			obj.SetName(fmt.Sprintf("invalid-%d", i))
			perKind[obj.GetKind()]++
			err := k8s.Create(ctx, obj)
			if err == nil {
				t.Fatalf("accepted; want refusal naming %s: %q", tc.field, tc.message)
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("err = %v, want an Invalid error", err)
			}
			if !strings.Contains(err.Error(), tc.field+": ") || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("err = %v\nwant field %q with message %q", err, tc.field, tc.message)
			}
		})
	}
	for _, kind := range []string{"Video", "TranscodeJob", "StreamEndpoint", "NFTGate", "ChainIndexer"} {
		if perKind[kind] < 5 {
			t.Errorf("%s has %d invalid cases, want at least 5", kind, perKind[kind])
		}
	}
}

func parseManifest(t *testing.T, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatal(err)
	}
	return obj
}

func setPath(node any, path []string, value any) error {
	last := len(path) == 1
	switch n := node.(type) {
	case map[string]any:
		if last {
			if value == nil {
				delete(n, path[0])
			} else {
				n[path[0]] = value
			}
			return nil
		}
		child, ok := n[path[0]]
		if !ok {
			child = map[string]any{}
			n[path[0]] = child
		}
		return setPath(child, path[1:], value)
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil || i >= len(n) {
			return fmt.Errorf("bad list index %q", path[0])
		}
		if last {
			n[i] = value
			return nil
		}
		return setPath(n[i], path[1:], value)
	default:
		return fmt.Errorf("cannot descend into %T at %q", node, path[0])
	}
}
