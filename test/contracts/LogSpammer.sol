// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Emits many ERC-721 Transfer events cheaply, for indexer benchmarks.
contract LogSpammer {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    function mintMany(uint256 firstId, uint256 n, uint256 owners) external {
        for (uint256 i = 0; i < n; i++) {
            emit Transfer(address(0), address(uint160(0x1000 + ((firstId + i) % owners))), firstId + i);
        }
    }
}
