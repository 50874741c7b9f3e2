// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// A smart-contract wallet (EIP-1271) that accepts its owner's signatures.
contract TestWallet1271 is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && signer == owner) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}

/// A smart-contract wallet that refuses every signature.
contract RejectingWallet1271 is IERC1271 {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xffffffff;
    }
}

/// A contract that answers every call with its own call data: its answer to
/// isValidSignature starts with the EIP-1271 selector, and a check of only
/// the first 4 bytes would take any signature.
contract EchoWallet1271 {
    fallback(bytes calldata input) external returns (bytes memory) {
        return input;
    }
}

/// A contract whose answer is the magic value with the rest of the word
/// dirty: not the ABI encoding of bytes4(0x1626ba7e).
contract DirtyWallet1271 {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes32) {
        return bytes32(uint256(0x1626ba7e00000000000000000000000000000000000000000000000000000001));
    }
}
