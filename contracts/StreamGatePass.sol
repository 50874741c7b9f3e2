// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// ERC-5643: subscription NFTs.
interface IERC5643 {
    event SubscriptionUpdate(uint256 indexed tokenId, uint64 expiration);
    function renewSubscription(uint256 tokenId, uint64 duration) external payable;
    function cancelSubscription(uint256 tokenId) external payable;
    function expiresAt(uint256 tokenId) external view returns (uint64);
    function isRenewable(uint256 tokenId) external view returns (bool);
}

/// ERC-4907: rentable NFTs.
interface IERC4907 {
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);
    function setUser(uint256 tokenId, address user, uint64 expires) external;
    function userOf(uint256 tokenId) external view returns (address);
    function userExpires(uint256 tokenId) external view returns (uint256);
}

/// StreamGate's access pass: an ERC-721 whose tokens expire (ERC-5643) and
/// may be lent to a user until a time (ERC-4907), with royalties (ERC-2981).
/// The creator (owner) sets the price of a period and who may mint (a sale
/// contract); anyone may renew a token by paying for whole periods.
contract StreamGatePass is ERC721, ERC2981, Ownable, IERC5643, IERC4907 {
    struct Rental {
        address user;
        uint64 expires;
    }

    /// Length of one subscription period, and its price in wei for renewals
    /// paid in the native coin directly on the pass.
    uint64 public immutable period;
    uint256 public pricePerPeriod;
    /// The contract allowed to mint and to renew without payment (it takes
    /// the payment itself), e.g. a PassSale.
    address public minter;

    mapping(uint256 tokenId => uint64) private _expirations;
    mapping(uint256 tokenId => Rental) private _rentals;
    uint256 private _collected;

    error NotMinter(address caller);
    error NotOwnerNorApproved(address caller, uint256 tokenId);
    error WrongPayment(uint256 paid, uint256 price);
    error NotWholePeriods(uint64 duration, uint64 period);
    error NoFunds();
    error TransferFailed();

    event PriceSet(uint256 pricePerPeriod);
    event MinterSet(address minter);

    constructor(string memory name, string memory symbol, address creator, uint64 period_, uint256 pricePerPeriod_,
        address royaltyReceiver, uint96 royaltyBps) ERC721(name, symbol) Ownable(creator) {
        require(period_ > 0, "period is zero");
        period = period_;
        pricePerPeriod = pricePerPeriod_;
        _setDefaultRoyalty(royaltyReceiver, royaltyBps);
    }

    function setPrice(uint256 pricePerPeriod_) external onlyOwner {
        pricePerPeriod = pricePerPeriod_;
        emit PriceSet(pricePerPeriod_);
    }

    function setMinter(address minter_) external onlyOwner {
        minter = minter_;
        emit MinterSet(minter_);
    }

    function setRoyalty(address receiver, uint96 bps) external onlyOwner {
        _setDefaultRoyalty(receiver, bps);
    }

    /// Mints tokenId to `to`, valid for `duration` from now.
    function mint(address to, uint256 tokenId, uint64 duration) external {
        if (msg.sender != minter && msg.sender != owner()) revert NotMinter(msg.sender);
        _safeMint(to, tokenId);
        _extend(tokenId, duration);
    }

    /// Renews by `duration` (whole periods), paid here in the native coin;
    /// the minter renews without payment (it was paid).
    function renewSubscription(uint256 tokenId, uint64 duration) external payable {
        _requireOwned(tokenId);
        if (msg.sender != minter) {
            uint256 price = (duration / period) * pricePerPeriod;
            if (msg.value != price) revert WrongPayment(msg.value, price);
            _collected += msg.value;
        } else if (msg.value != 0) {
            revert WrongPayment(msg.value, 0);
        }
        _extend(tokenId, duration);
    }

    /// Ends the subscription now; only the token's owner or approved.
    function cancelSubscription(uint256 tokenId) external payable {
        address holder = _requireOwned(tokenId);
        if (!_isAuthorized(holder, msg.sender, tokenId)) revert NotOwnerNorApproved(msg.sender, tokenId);
        if (msg.value != 0) revert WrongPayment(msg.value, 0);
        _expirations[tokenId] = uint64(block.timestamp);
        emit SubscriptionUpdate(tokenId, uint64(block.timestamp));
    }

    function expiresAt(uint256 tokenId) external view returns (uint64) {
        _requireOwned(tokenId);
        return _expirations[tokenId];
    }

    function isRenewable(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// Lends the right to watch until `expires`; only the owner or approved.
    function setUser(uint256 tokenId, address user, uint64 expires) external {
        address holder = _requireOwned(tokenId);
        if (!_isAuthorized(holder, msg.sender, tokenId)) revert NotOwnerNorApproved(msg.sender, tokenId);
        _rentals[tokenId] = Rental(user, expires);
        emit UpdateUser(tokenId, user, expires);
    }

    function userOf(uint256 tokenId) external view returns (address) {
        Rental memory r = _rentals[tokenId];
        return r.expires >= block.timestamp ? r.user : address(0);
    }

    function userExpires(uint256 tokenId) external view returns (uint256) {
        return _rentals[tokenId].expires;
    }

    /// The creator takes renewal payments made on the pass.
    function withdraw(address payable to) external onlyOwner {
        uint256 amount = _collected;
        if (amount == 0) revert NoFunds();
        _collected = 0;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    function burn(uint256 tokenId) external {
        address holder = _requireOwned(tokenId);
        if (!_isAuthorized(holder, msg.sender, tokenId)) revert NotOwnerNorApproved(msg.sender, tokenId);
        _burn(tokenId);
    }

    function _extend(uint256 tokenId, uint64 duration) private {
        if (duration == 0 || duration % period != 0) revert NotWholePeriods(duration, period);
        uint64 from = _expirations[tokenId];
        if (from < block.timestamp) from = uint64(block.timestamp);
        uint64 expiration = from + duration;
        _expirations[tokenId] = expiration;
        emit SubscriptionUpdate(tokenId, expiration);
    }

    /// A transfer ends a rental (ERC-4907) and burning clears the token's state.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != to && _rentals[tokenId].user != address(0)) {
            delete _rentals[tokenId];
            emit UpdateUser(tokenId, address(0), 0);
        }
        if (to == address(0)) delete _expirations[tokenId];
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, ERC2981) returns (bool) {
        return interfaceId == type(IERC5643).interfaceId || interfaceId == type(IERC4907).interfaceId
            || super.supportsInterface(interfaceId);
    }
}
