// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {StreamGatePass} from "./StreamGatePass.sol";

/// Sells and renews StreamGatePasses for the native coin or one ERC-20, at a
/// price per period the creator (owner) sets, and splits the revenue between
/// payees by shares. Payees withdraw what they are owed (pull payments): a
/// payee that cannot receive never blocks a sale, and no payment is lost.
contract PassSale is Ownable, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    StreamGatePass public immutable pass;
    /// The ERC-20 prices are in; the zero address for the native coin.
    IERC20 public immutable currency;
    uint256 public pricePerPeriod;
    uint256 public nextTokenId = 1;

    address[] private _payees;
    mapping(address payee => uint256) public shares;
    uint256 public totalShares;
    mapping(address payee => uint256) public owed;

    event Sold(address indexed buyer, uint256 indexed tokenId, uint64 periods, uint256 paid);
    event Renewed(address indexed payer, uint256 indexed tokenId, uint64 periods, uint256 paid);
    event PriceSet(uint256 pricePerPeriod);
    event Withdrawn(address indexed payee, uint256 amount);

    error WrongPayment(uint256 paid, uint256 price);
    error NoPeriods();
    error NothingOwed(address payee);
    error TransferFailed();
    error BadPayees();

    constructor(StreamGatePass pass_, IERC20 currency_, uint256 pricePerPeriod_, address creator,
        address[] memory payees_, uint256[] memory shares_) Ownable(creator) {
        if (payees_.length == 0 || payees_.length != shares_.length) revert BadPayees();
        for (uint256 i = 0; i < payees_.length; i++) {
            if (payees_[i] == address(0) || shares_[i] == 0 || shares[payees_[i]] != 0) revert BadPayees();
            _payees.push(payees_[i]);
            shares[payees_[i]] = shares_[i];
            totalShares += shares_[i];
        }
        pass = pass_;
        currency = currency_;
        pricePerPeriod = pricePerPeriod_;
    }

    function setPrice(uint256 pricePerPeriod_) external onlyOwner {
        pricePerPeriod = pricePerPeriod_;
        emit PriceSet(pricePerPeriod_);
    }

    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    function payees() external view returns (address[] memory) {
        return _payees;
    }

    /// Buys a new pass valid for `periods` periods from now.
    function buy(uint64 periods) external payable whenNotPaused nonReentrant returns (uint256 tokenId) {
        uint256 paid = _collect(periods);
        tokenId = nextTokenId++;
        emit Sold(msg.sender, tokenId, periods, paid);
        pass.mint(msg.sender, tokenId, periods * pass.period());
    }

    /// Extends any pass by `periods` periods; anyone may pay for anyone's.
    function renew(uint256 tokenId, uint64 periods) external payable whenNotPaused nonReentrant {
        uint256 paid = _collect(periods);
        emit Renewed(msg.sender, tokenId, periods, paid);
        pass.renewSubscription(tokenId, periods * pass.period());
    }

    /// Pays the caller what it is owed.
    function withdraw() external nonReentrant {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert NothingOwed(msg.sender);
        owed[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        if (address(currency) == address(0)) {
            (bool ok,) = msg.sender.call{value: amount}("");
            if (!ok) revert TransferFailed();
        } else {
            currency.safeTransfer(msg.sender, amount);
        }
    }

    /// Takes the price of `periods` and credits the payees; the last one
    /// gets what division leaves over, so nothing stays unowed.
    function _collect(uint64 periods) private returns (uint256 price) {
        if (periods == 0) revert NoPeriods();
        price = pricePerPeriod * periods;
        if (address(currency) == address(0)) {
            if (msg.value != price) revert WrongPayment(msg.value, price);
        } else {
            if (msg.value != 0) revert WrongPayment(msg.value, 0);
            currency.safeTransferFrom(msg.sender, address(this), price);
        }
        uint256 credited;
        uint256 last = _payees.length - 1;
        for (uint256 i = 0; i < last; i++) {
            uint256 part = price * shares[_payees[i]] / totalShares;
            owed[_payees[i]] += part;
            credited += part;
        }
        owed[_payees[last]] += price - credited;
    }
}
