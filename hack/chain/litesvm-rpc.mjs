// A Solana JSON-RPC front over LiteSVM (the real SVM with the real SPL Token
// and Token-2022 programs, in-process), for tests: no validator binary can
// be had here. It answers the read methods StreamGate uses, plus test_*
// methods that make mints and tokens with real transactions and write
// Metaplex metadata accounts with their real byte layout.
//   node hack/chain/litesvm-rpc.mjs   -> prints "Listening on 127.0.0.1:PORT"
import http from "node:http";
import { LiteSVM, FailedTransactionMetadata } from "litesvm";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS, getMintSize, getInitializeMint2Instruction, getMintToInstruction,
  findAssociatedTokenPda, getCreateAssociatedTokenIdempotentInstruction, getTransferCheckedInstruction,
} from "@solana-program/token";
import {
  address, appendTransactionMessageInstructions, createTransactionMessage, generateKeyPairSigner, lamports, pipe,
  setTransactionMessageFeePayerSigner, signTransactionMessageWithSigners, getAddressEncoder, getProgramDerivedAddress,
  getBase64Decoder, getBase64Encoder, getBase58Decoder,
} from "@solana/kit";

const TOKEN_2022 = address("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
const METADATA_PROGRAM = address("metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s");
const GENESIS = "11111111111111111111111111111111"; // all-zero: matches no public cluster

const svm = new LiteSVM();
const b64 = getBase64Decoder();
const fromB64 = getBase64Encoder();
const addrEnc = getAddressEncoder();
const tokenAccounts = new Set(); // LiteSVM keeps no owner index: remember what we made
const signers = new Map();       // owner address -> signer, for test_transfer
const payer = await generateKeyPairSigner();
svm.airdrop(payer.address, lamports(1_000_000_000_000n));

async function send(ixs, extra = []) {
  const tx = await pipe(createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => svm.setTransactionMessageLifetimeUsingLatestBlockhash(m),
    (m) => appendTransactionMessageInstructions(ixs, m),
    (m) => signTransactionMessageWithSigners(m));
  const res = svm.sendTransaction(tx);
  if (res instanceof FailedTransactionMetadata) throw { code: -32002, message: `transaction failed: ${res.err()}`, data: res.meta().logs() };
  svm.expireBlockhash();
  return res;
}

const programOf = (p) => (p === "token2022" ? TOKEN_2022 : TOKEN_PROGRAM_ADDRESS);

function encodeAccount(addr) {
  const a = svm.getAccount(address(addr));
  if (!a || !a.exists) return null;
  return { data: [b64.decode(a.data), "base64"], executable: a.executable, lamports: Number(a.lamports),
    owner: a.programAddress, rentEpoch: 0, space: a.data.length };
}
const ctx = (value) => ({ context: { slot: 1, apiVersion: "litesvm" }, value });

function u32(n) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; }
function borshString(s) { const bytes = new TextEncoder().encode(s); return [...u32(bytes.length), ...bytes]; }

// MetadataV1: key, update authority, mint, name, symbol, uri, seller fee,
// creators (None), primary sale, mutable, edition nonce (None), token
// standard (Some NonFungible), collection (Some {verified, key}), uses (None).
function metadataBytes({ mint, updateAuthority, name, symbol, collection, verified }) {
  const out = [4, ...addrEnc.encode(address(updateAuthority)), ...addrEnc.encode(address(mint)),
    ...borshString(name), ...borshString(symbol), ...borshString("https://example.com/nft.json"),
    0, 0, 0, 0, 1, 0, 1, 0];
  if (collection) out.push(1, verified ? 1 : 0, ...addrEnc.encode(address(collection)));
  else out.push(0);
  out.push(0);
  return new Uint8Array(out);
}

const methods = {
  getHealth: () => "ok",
  getVersion: () => ({ "solana-core": "litesvm-1.5.0", "feature-set": 0 }),
  getGenesisHash: () => GENESIS,
  getSlot: () => 1,
  getAccountInfo: ([pk]) => ctx(encodeAccount(pk)),
  getMultipleAccounts: ([pks]) => ctx(pks.map(encodeAccount)),
  getTokenAccountsByOwner: ([owner, filter]) => {
    const value = [];
    for (const ta of tokenAccounts) {
      const acc = encodeAccount(ta);
      if (!acc) continue;
      const data = fromB64.encode(acc.data[0]);
      const holder = getBase58(data.slice(32, 64));
      const mint = getBase58(data.slice(0, 32));
      if (holder !== owner) continue;
      if (filter?.programId && acc.owner !== filter.programId) continue;
      if (filter?.mint && mint !== filter.mint) continue;
      value.push({ pubkey: ta, account: acc });
    }
    return ctx(value);
  },

  // test_createMint {program?: "token"|"token2022", decimals?} -> mint address
  test_createMint: async ([{ program, decimals = 0 } = {}]) => {
    const mint = await generateKeyPairSigner();
    const space = BigInt(getMintSize());
    const programAddress = programOf(program);
    await send([
      getCreateAccountInstruction({ payer, newAccount: mint, lamports: lamports(svm.minimumBalanceForRentExemption(space)), space, programAddress }),
      getInitializeMint2Instruction({ mint: mint.address, decimals, mintAuthority: payer.address }, { programAddress }),
    ]);
    return mint.address;
  },
  // test_newWallet -> address of a fresh key the front can sign for
  test_newWallet: async () => {
    const s = await generateKeyPairSigner();
    signers.set(s.address, s);
    svm.airdrop(s.address, lamports(1_000_000_000n));
    return s.address;
  },
  // test_mintTo {mint, owner, amount?, program?} -> the owner's token account
  test_mintTo: async ([{ mint, owner, amount = 1, program }]) => {
    const tokenProgram = programOf(program);
    const [ata] = await findAssociatedTokenPda({ owner: address(owner), mint: address(mint), tokenProgram });
    await send([
      getCreateAssociatedTokenIdempotentInstruction({ payer, ata, owner: address(owner), mint: address(mint), tokenProgram }),
      getMintToInstruction({ mint: address(mint), token: ata, mintAuthority: payer, amount: BigInt(amount) }, { programAddress: tokenProgram }),
    ]);
    tokenAccounts.add(ata);
    return ata;
  },
  // test_transfer {mint, from, to, amount?, program?}: from must be a test_newWallet
  test_transfer: async ([{ mint, from, to, amount = 1, program }]) => {
    const tokenProgram = programOf(program);
    const authority = signers.get(from);
    if (!authority) throw { code: -32602, message: "unknown wallet " + from };
    const [src] = await findAssociatedTokenPda({ owner: address(from), mint: address(mint), tokenProgram });
    const [dst] = await findAssociatedTokenPda({ owner: address(to), mint: address(mint), tokenProgram });
    await send([
      getCreateAssociatedTokenIdempotentInstruction({ payer, ata: dst, owner: address(to), mint: address(mint), tokenProgram }),
      getTransferCheckedInstruction({ source: src, mint: address(mint), destination: dst, authority, amount: BigInt(amount), decimals: 0 }, { programAddress: tokenProgram }),
    ]);
    tokenAccounts.add(dst);
    return dst;
  },
  // test_setMetadata {mint, collection?, verified?, name?, owner?} -> metadata PDA
  test_setMetadata: async ([{ mint, collection, verified = true, name = "Pass", owner = METADATA_PROGRAM }]) => {
    const [pda] = await getProgramDerivedAddress({ programAddress: METADATA_PROGRAM,
      seeds: [new TextEncoder().encode("metadata"), addrEnc.encode(METADATA_PROGRAM), addrEnc.encode(address(mint))] });
    const data = metadataBytes({ mint, updateAuthority: payer.address, name, symbol: "PASS", collection, verified });
    svm.setAccount({ address: pda, data, executable: false, lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(data.length))),
      programAddress: address(owner), space: BigInt(data.length) });
    return pda;
  },
};

const b58 = getBase58Decoder();
function getBase58(bytes) { return b58.decode(bytes); }

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d)).on("end", async () => {
    const handle = async (r) => {
      try {
        const fn = methods[r.method];
        if (!fn) return { jsonrpc: "2.0", id: r.id, error: { code: -32601, message: `Method not found: ${r.method}` } };
        return { jsonrpc: "2.0", id: r.id, result: await fn(r.params ?? []) };
      } catch (e) {
        return { jsonrpc: "2.0", id: r.id, error: e && e.code ? e : { code: -32603, message: String(e?.stack ?? e) } };
      }
    };
    let out;
    try {
      const j = JSON.parse(body);
      out = Array.isArray(j) ? await Promise.all(j.map(handle)) : await handle(j);
    } catch {
      out = { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } };
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(out));
  });
});
server.listen(0, "127.0.0.1", () => console.log(`Listening on 127.0.0.1:${server.address().port}`));
