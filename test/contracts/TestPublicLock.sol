// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// The part of Unlock Protocol's PublicLock a gate reads (getHasValidKey,
/// tokenOfOwnerByIndex, keyExpirationTimestampFor), for tests: Unlock's own
/// contracts are not in the npm registry here.
contract TestPublicLock {
    mapping(address => uint256) private _tokenOf;
    mapping(uint256 => uint256) private _expiration;
    uint256 private _next = 1;

    function grantKey(address to, uint256 expiration) external returns (uint256 tokenId) {
        tokenId = _tokenOf[to];
        if (tokenId == 0) {
            tokenId = _next++;
            _tokenOf[to] = tokenId;
        }
        _expiration[tokenId] = expiration;
    }

    function getHasValidKey(address owner) external view returns (bool) {
        uint256 tokenId = _tokenOf[owner];
        return tokenId != 0 && _expiration[tokenId] > block.timestamp;
    }

    function tokenOfOwnerByIndex(address owner, uint256 index) external view returns (uint256) {
        require(index == 0 && _tokenOf[owner] != 0, "no key");
        return _tokenOf[owner];
    }

    function keyExpirationTimestampFor(uint256 tokenId) external view returns (uint256) {
        return _expiration[tokenId];
    }
}
