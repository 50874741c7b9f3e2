// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

interface IPassSale {
    function buy(uint64 periods) external payable returns (uint256);
    function withdraw() external;
}

/// A hostile buyer and payee, for tests: when it receives a pass it tries
/// to buy another inside the callback, and when it is paid it tries to
/// withdraw again inside the payment.
contract ReentrantBuyer {
    IPassSale public sale;
    bool public reentered;
    uint256 public attempts;

    function setSale(IPassSale sale_) external {
        sale = sale_;
    }

    function attack(uint256 price) external payable {
        sale.buy{value: price}(1);
    }

    function drain() external {
        sale.withdraw();
    }

    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        attempts++;
        try sale.buy{value: address(this).balance}(1) {
            reentered = true;
        } catch {}
        return this.onERC721Received.selector;
    }

    receive() external payable {
        attempts++;
        // Re-entering withdraw while being paid: must fail, and so the payment.
        sale.withdraw();
        reentered = true;
    }
}
