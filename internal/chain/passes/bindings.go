// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package passes

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// PassSaleMetaData contains all meta data concerning the PassSale contract.
var PassSaleMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractStreamGatePass\",\"name\":\"pass_\",\"type\":\"address\"},{\"internalType\":\"contractIERC20\",\"name\":\"currency_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod_\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"address[]\",\"name\":\"payees_\",\"type\":\"address[]\"},{\"internalType\":\"uint256[]\",\"name\":\"shares_\",\"type\":\"uint256[]\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"BadPayees\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EnforcedPause\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ExpectedPause\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPeriods\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"NothingOwed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"OwnableInvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"OwnableUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"Paused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"}],\"name\":\"PriceSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"name\":\"Renewed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"name\":\"Sold\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"Unpaused\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"}],\"name\":\"buy\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currency\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextTokenId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"owed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pass\",\"outputs\":[{\"internalType\":\"contractStreamGatePass\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"paused\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"payees\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pricePerPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"periods\",\"type\":\"uint64\"}],\"name\":\"renew\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod_\",\"type\":\"uint256\"}],\"name\":\"setPrice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"shares\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalShares\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unpause\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60c06040526001600255348015610014575f5ffd5b506040516115b73803806115b7833981016040819052610033916103b4565b826001600160a01b03811661006157604051631e4fbdf760e01b81525f600482015260240160405180910390fd5b61006a8161027e565b5060017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00558151158061009f57508051825114155b156100bd57604051631d0d0f8d60e31b815260040160405180910390fd5b5f5b825181101561025f575f6001600160a01b03168382815181106100e4576100e46104ba565b60200260200101516001600160a01b03161480610119575081818151811061010e5761010e6104ba565b60200260200101515f145b80610160575060045f848381518110610134576101346104ba565b60200260200101516001600160a01b03166001600160a01b031681526020019081526020015f20545f14155b1561017e57604051631d0d0f8d60e31b815260040160405180910390fd5b6003838281518110610192576101926104ba565b60209081029190910181015182546001810184555f938452919092200180546001600160a01b0319166001600160a01b0390921691909117905581518290829081106101e0576101e06104ba565b602002602001015160045f8584815181106101fd576101fd6104ba565b60200260200101516001600160a01b03166001600160a01b031681526020019081526020015f208190555081818151811061023a5761023a6104ba565b602002602001015160055f82825461025291906104ce565b90915550506001016100bf565b5050506001600160a01b0393841660805250911660a0526001556104f3565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b6001600160a01b03811681146102e1575f5ffd5b50565b634e487b7160e01b5f52604160045260245ffd5b604051601f8201601f191681016001600160401b0381118282101715610320576103206102e4565b604052919050565b5f6001600160401b03821115610340576103406102e4565b5060051b60200190565b5f82601f830112610359575f5ffd5b815161036c61036782610328565b6102f8565b8082825260208201915060208360051b86010192508583111561038d575f5ffd5b602085015b838110156103aa578051835260209283019201610392565b5095945050505050565b5f5f5f5f5f5f60c087890312156103c9575f5ffd5b86516103d4816102cd565b60208801519096506103e5816102cd565b6040880151606089015191965094506103fd816102cd565b60808801519093506001600160401b03811115610418575f5ffd5b8701601f81018913610428575f5ffd5b805161043661036782610328565b8082825260208201915060208360051b85010192508b831115610457575f5ffd5b6020840193505b82841015610482578351610471816102cd565b82526020938401939091019061045e565b60a08b0151909550925050506001600160401b038111156104a1575f5ffd5b6104ad89828a0161034a565b9150509295509295509295565b634e487b7160e01b5f52603260045260245ffd5b808201808211156104ed57634e487b7160e01b5f52601160045260245ffd5b92915050565b60805160a05161106b61054c5f395f81816103050152818161058e01528181610633015281816109a40152610a3201525f818161027c015281816103c2015281816103f3015281816107490152610779015261106b5ff3fe608060405260043610610105575f3560e01c80638456cb5911610092578063a7a1ed7211610062578063a7a1ed721461026b578063ce7c2ac21461029e578063df18e047146102c9578063e5a6b10f146102f4578063f2fde38b14610327575f5ffd5b80638456cb59146101f35780638da5cb5b1461020757806391b7f5ed14610237578063a4fe8a1814610256575f5ffd5b80634e8086aa116100d85780634e8086aa1461016e5780635569f33d1461018f5780635c975abb146101a2578063715018a6146101ca57806375794a3c146101de575f5ffd5b8063215adc4a146101095780633a98ef391461012f5780633ccfd60b146101445780633f4ba83a1461015a575b5f5ffd5b61011c610117366004610e56565b610346565b6040519081526020015b60405180910390f35b34801561013a575f5ffd5b5061011c60055481565b34801561014f575f5ffd5b50610158610502565b005b348015610165575f5ffd5b50610158610673565b348015610179575f5ffd5b50610182610683565b6040516101269190610e78565b61015861019d366004610ec3565b6106e3565b3480156101ad575f5ffd5b505f54600160a01b900460ff166040519015158152602001610126565b3480156101d5575f5ffd5b50610158610877565b3480156101e9575f5ffd5b5061011c60025481565b3480156101fe575f5ffd5b50610158610888565b348015610212575f5ffd5b505f546001600160a01b03165b6040516001600160a01b039091168152602001610126565b348015610242575f5ffd5b50610158610251366004610ef1565b610898565b348015610261575f5ffd5b5061011c60015481565b348015610276575f5ffd5b5061021f7f000000000000000000000000000000000000000000000000000000000000000081565b3480156102a9575f5ffd5b5061011c6102b8366004610f08565b60046020525f908152604090205481565b3480156102d4575f5ffd5b5061011c6102e3366004610f08565b60066020525f908152604090205481565b3480156102ff575f5ffd5b5061021f7f000000000000000000000000000000000000000000000000000000000000000081565b348015610332575f5ffd5b50610158610341366004610f08565b6108db565b5f61034f610918565b610357610942565b5f6103618361095d565b600280549192505f61037283610f42565b909155506040805167ffffffffffffffff8616815260208101849052919350839133917ff23ad803732d8c7f774dad648e64f4b04d9e5eb76ccc54e7291551a41190d2ff910160405180910390a37f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316638b3d35ae33847f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031663ef78d4fd6040518163ffffffff1660e01b8152600401602060405180830381865afa15801561044d573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906104719190610f5a565b61047b9088610f75565b6040516001600160e01b031960e086901b1681526001600160a01b039093166004840152602483019190915267ffffffffffffffff1660448201526064015f604051808303815f87803b1580156104d0575f5ffd5b505af11580156104e2573d5f5f3e3d5ffd5b50505050506104fd60015f5160206110165f395f51905f5255565b919050565b61050a610942565b335f908152600660205260408120549081900361054157604051633a8d87ed60e11b81523360048201526024015b60405180910390fd5b335f8181526006602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906105849084815260200190565b60405180910390a27f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316610626576040515f90339083908381818185875af1925050503d805f81146105f9576040519150601f19603f3d011682016040523d82523d5f602084013e6105fe565b606091505b5050905080610620576040516312171d8360e31b815260040160405180910390fd5b5061065a565b61065a6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163383610b93565b5061067160015f5160206110165f395f51905f5255565b565b61067b610bcd565b610671610bf9565b606060038054806020026020016040519081016040528092919081815260200182805480156106d957602002820191905f5260205f20905b81546001600160a01b031681526001909101906020018083116106bb575b5050505050905090565b6106eb610918565b6106f3610942565b5f6106fd8261095d565b6040805167ffffffffffffffff8516815260208101839052919250849133917fade664517bf02b52824a2afa4a962d98c4724791e61fb71eff8266991e7a7b72910160405180910390a37f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031663776ce868847f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031663ef78d4fd6040518163ffffffff1660e01b8152600401602060405180830381865afa1580156107d3573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906107f79190610f5a565b6108019086610f75565b6040516001600160e01b031960e085901b168152600481019290925267ffffffffffffffff1660248201526044015f604051808303815f87803b158015610846575f5ffd5b505af1158015610858573d5f5f3e3d5ffd5b505050505061087360015f5160206110165f395f51905f5255565b5050565b61087f610bcd565b6106715f610c4d565b610890610bcd565b610671610c9c565b6108a0610bcd565b60018190556040518181527f6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f669060200160405180910390a150565b6108e3610bcd565b6001600160a01b03811661090c57604051631e4fbdf760e01b81525f6004820152602401610538565b61091581610c4d565b50565b5f54600160a01b900460ff16156106715760405163d93c066560e01b815260040160405180910390fd5b61094a610cde565b60025f5160206110165f395f51905f5255565b5f8167ffffffffffffffff165f0361098857604051632bd5aa3960e01b815260040160405180910390fd5b8167ffffffffffffffff166001546109a09190610f9f565b90507f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03166109fe578034146109f957604051630374cb4760e21b815234600482015260248101829052604401610538565b610a5a565b3415610a2557604051630374cb4760e21b81523460048201525f6024820152604401610538565b610a5a6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016333084610d0d565b6003545f908190610a6d90600190610fbc565b90505f5b81811015610b32575f60055460045f60038581548110610a9357610a93610fcf565b5f9182526020808320909101546001600160a01b03168352820192909252604001902054610ac19087610f9f565b610acb9190610fe3565b90508060065f60038581548110610ae457610ae4610fcf565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190610b17908490611002565b90915550610b2790508185611002565b935050600101610a71565b50610b3d8284610fbc565b60065f60038481548110610b5357610b53610fcf565b5f9182526020808320909101546001600160a01b0316835282019290925260400181208054909190610b86908490611002565b9091555092949350505050565b610ba08383836001610d49565b610bc857604051635274afe760e01b81526001600160a01b0384166004820152602401610538565b505050565b5f546001600160a01b031633146106715760405163118cdaa760e01b8152336004820152602401610538565b610c01610dab565b5f805460ff60a01b191690557f5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa335b6040516001600160a01b03909116815260200160405180910390a1565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b610ca4610918565b5f805460ff60a01b1916600160a01b1790557f62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258610c303390565b5f5160206110165f395f51905f525460020361067157604051633ee5aeb560e01b815260040160405180910390fd5b610d1b848484846001610dd4565b610d4357604051635274afe760e01b81526001600160a01b0385166004820152602401610538565b50505050565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316610d9f578383151615610d93573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b5f54600160a01b900460ff1661067157604051638dfc202b60e01b815260040160405180910390fd5b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316610e30578383151615610e24573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b67ffffffffffffffff81168114610915575f5ffd5b5f60208284031215610e66575f5ffd5b8135610e7181610e41565b9392505050565b602080825282518282018190525f918401906040840190835b81811015610eb85783516001600160a01b0316835260209384019390920191600101610e91565b509095945050505050565b5f5f60408385031215610ed4575f5ffd5b823591506020830135610ee681610e41565b809150509250929050565b5f60208284031215610f01575f5ffd5b5035919050565b5f60208284031215610f18575f5ffd5b81356001600160a01b0381168114610e71575f5ffd5b634e487b7160e01b5f52601160045260245ffd5b5f60018201610f5357610f53610f2e565b5060010190565b5f60208284031215610f6a575f5ffd5b8151610e7181610e41565b67ffffffffffffffff8181168382160290811690818114610f9857610f98610f2e565b5092915050565b8082028115828204841417610fb657610fb6610f2e565b92915050565b81810381811115610fb657610fb6610f2e565b634e487b7160e01b5f52603260045260245ffd5b5f82610ffd57634e487b7160e01b5f52601260045260245ffd5b500490565b80820180821115610fb657610fb6610f2e56fe9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00a26469706673582212208d661c418b054fc006a0a174c2499c904b7e959c17532fcb3aa1a8d677249a9264736f6c63430008250033",
}

// PassSaleABI is the input ABI used to generate the binding from.
// Deprecated: Use PassSaleMetaData.ABI instead.
var PassSaleABI = PassSaleMetaData.ABI

// PassSaleBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use PassSaleMetaData.Bin instead.
var PassSaleBin = PassSaleMetaData.Bin

// DeployPassSale deploys a new Ethereum contract, binding an instance of PassSale to it.
func DeployPassSale(auth *bind.TransactOpts, backend bind.ContractBackend, pass_ common.Address, currency_ common.Address, pricePerPeriod_ *big.Int, creator common.Address, payees_ []common.Address, shares_ []*big.Int) (common.Address, *types.Transaction, *PassSale, error) {
	parsed, err := PassSaleMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(PassSaleBin), backend, pass_, currency_, pricePerPeriod_, creator, payees_, shares_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &PassSale{PassSaleCaller: PassSaleCaller{contract: contract}, PassSaleTransactor: PassSaleTransactor{contract: contract}, PassSaleFilterer: PassSaleFilterer{contract: contract}}, nil
}

// PassSale is an auto generated Go binding around an Ethereum contract.
type PassSale struct {
	PassSaleCaller     // Read-only binding to the contract
	PassSaleTransactor // Write-only binding to the contract
	PassSaleFilterer   // Log filterer for contract events
}

// PassSaleCaller is an auto generated read-only Go binding around an Ethereum contract.
type PassSaleCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// PassSaleTransactor is an auto generated write-only Go binding around an Ethereum contract.
type PassSaleTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// PassSaleFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type PassSaleFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// PassSaleSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type PassSaleSession struct {
	Contract     *PassSale         // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// PassSaleCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type PassSaleCallerSession struct {
	Contract *PassSaleCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts   // Call options to use throughout this session
}

// PassSaleTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type PassSaleTransactorSession struct {
	Contract     *PassSaleTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts   // Transaction auth options to use throughout this session
}

// PassSaleRaw is an auto generated low-level Go binding around an Ethereum contract.
type PassSaleRaw struct {
	Contract *PassSale // Generic contract binding to access the raw methods on
}

// PassSaleCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type PassSaleCallerRaw struct {
	Contract *PassSaleCaller // Generic read-only contract binding to access the raw methods on
}

// PassSaleTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type PassSaleTransactorRaw struct {
	Contract *PassSaleTransactor // Generic write-only contract binding to access the raw methods on
}

// NewPassSale creates a new instance of PassSale, bound to a specific deployed contract.
func NewPassSale(address common.Address, backend bind.ContractBackend) (*PassSale, error) {
	contract, err := bindPassSale(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &PassSale{PassSaleCaller: PassSaleCaller{contract: contract}, PassSaleTransactor: PassSaleTransactor{contract: contract}, PassSaleFilterer: PassSaleFilterer{contract: contract}}, nil
}

// NewPassSaleCaller creates a new read-only instance of PassSale, bound to a specific deployed contract.
func NewPassSaleCaller(address common.Address, caller bind.ContractCaller) (*PassSaleCaller, error) {
	contract, err := bindPassSale(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &PassSaleCaller{contract: contract}, nil
}

// NewPassSaleTransactor creates a new write-only instance of PassSale, bound to a specific deployed contract.
func NewPassSaleTransactor(address common.Address, transactor bind.ContractTransactor) (*PassSaleTransactor, error) {
	contract, err := bindPassSale(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &PassSaleTransactor{contract: contract}, nil
}

// NewPassSaleFilterer creates a new log filterer instance of PassSale, bound to a specific deployed contract.
func NewPassSaleFilterer(address common.Address, filterer bind.ContractFilterer) (*PassSaleFilterer, error) {
	contract, err := bindPassSale(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &PassSaleFilterer{contract: contract}, nil
}

// bindPassSale binds a generic wrapper to an already deployed contract.
func bindPassSale(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := PassSaleMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_PassSale *PassSaleRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _PassSale.Contract.PassSaleCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_PassSale *PassSaleRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.Contract.PassSaleTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_PassSale *PassSaleRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _PassSale.Contract.PassSaleTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_PassSale *PassSaleCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _PassSale.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_PassSale *PassSaleTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_PassSale *PassSaleTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _PassSale.Contract.contract.Transact(opts, method, params...)
}

// Currency is a free data retrieval call binding the contract method 0xe5a6b10f.
//
// Solidity: function currency() view returns(address)
func (_PassSale *PassSaleCaller) Currency(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "currency")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Currency is a free data retrieval call binding the contract method 0xe5a6b10f.
//
// Solidity: function currency() view returns(address)
func (_PassSale *PassSaleSession) Currency() (common.Address, error) {
	return _PassSale.Contract.Currency(&_PassSale.CallOpts)
}

// Currency is a free data retrieval call binding the contract method 0xe5a6b10f.
//
// Solidity: function currency() view returns(address)
func (_PassSale *PassSaleCallerSession) Currency() (common.Address, error) {
	return _PassSale.Contract.Currency(&_PassSale.CallOpts)
}

// NextTokenId is a free data retrieval call binding the contract method 0x75794a3c.
//
// Solidity: function nextTokenId() view returns(uint256)
func (_PassSale *PassSaleCaller) NextTokenId(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "nextTokenId")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// NextTokenId is a free data retrieval call binding the contract method 0x75794a3c.
//
// Solidity: function nextTokenId() view returns(uint256)
func (_PassSale *PassSaleSession) NextTokenId() (*big.Int, error) {
	return _PassSale.Contract.NextTokenId(&_PassSale.CallOpts)
}

// NextTokenId is a free data retrieval call binding the contract method 0x75794a3c.
//
// Solidity: function nextTokenId() view returns(uint256)
func (_PassSale *PassSaleCallerSession) NextTokenId() (*big.Int, error) {
	return _PassSale.Contract.NextTokenId(&_PassSale.CallOpts)
}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address payee) view returns(uint256)
func (_PassSale *PassSaleCaller) Owed(opts *bind.CallOpts, payee common.Address) (*big.Int, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "owed", payee)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address payee) view returns(uint256)
func (_PassSale *PassSaleSession) Owed(payee common.Address) (*big.Int, error) {
	return _PassSale.Contract.Owed(&_PassSale.CallOpts, payee)
}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address payee) view returns(uint256)
func (_PassSale *PassSaleCallerSession) Owed(payee common.Address) (*big.Int, error) {
	return _PassSale.Contract.Owed(&_PassSale.CallOpts, payee)
}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_PassSale *PassSaleCaller) Owner(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "owner")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_PassSale *PassSaleSession) Owner() (common.Address, error) {
	return _PassSale.Contract.Owner(&_PassSale.CallOpts)
}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_PassSale *PassSaleCallerSession) Owner() (common.Address, error) {
	return _PassSale.Contract.Owner(&_PassSale.CallOpts)
}

// Pass is a free data retrieval call binding the contract method 0xa7a1ed72.
//
// Solidity: function pass() view returns(address)
func (_PassSale *PassSaleCaller) Pass(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "pass")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Pass is a free data retrieval call binding the contract method 0xa7a1ed72.
//
// Solidity: function pass() view returns(address)
func (_PassSale *PassSaleSession) Pass() (common.Address, error) {
	return _PassSale.Contract.Pass(&_PassSale.CallOpts)
}

// Pass is a free data retrieval call binding the contract method 0xa7a1ed72.
//
// Solidity: function pass() view returns(address)
func (_PassSale *PassSaleCallerSession) Pass() (common.Address, error) {
	return _PassSale.Contract.Pass(&_PassSale.CallOpts)
}

// Paused is a free data retrieval call binding the contract method 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (_PassSale *PassSaleCaller) Paused(opts *bind.CallOpts) (bool, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "paused")

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// Paused is a free data retrieval call binding the contract method 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (_PassSale *PassSaleSession) Paused() (bool, error) {
	return _PassSale.Contract.Paused(&_PassSale.CallOpts)
}

// Paused is a free data retrieval call binding the contract method 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (_PassSale *PassSaleCallerSession) Paused() (bool, error) {
	return _PassSale.Contract.Paused(&_PassSale.CallOpts)
}

// Payees is a free data retrieval call binding the contract method 0x4e8086aa.
//
// Solidity: function payees() view returns(address[])
func (_PassSale *PassSaleCaller) Payees(opts *bind.CallOpts) ([]common.Address, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "payees")

	if err != nil {
		return *new([]common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)

	return out0, err

}

// Payees is a free data retrieval call binding the contract method 0x4e8086aa.
//
// Solidity: function payees() view returns(address[])
func (_PassSale *PassSaleSession) Payees() ([]common.Address, error) {
	return _PassSale.Contract.Payees(&_PassSale.CallOpts)
}

// Payees is a free data retrieval call binding the contract method 0x4e8086aa.
//
// Solidity: function payees() view returns(address[])
func (_PassSale *PassSaleCallerSession) Payees() ([]common.Address, error) {
	return _PassSale.Contract.Payees(&_PassSale.CallOpts)
}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_PassSale *PassSaleCaller) PricePerPeriod(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "pricePerPeriod")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_PassSale *PassSaleSession) PricePerPeriod() (*big.Int, error) {
	return _PassSale.Contract.PricePerPeriod(&_PassSale.CallOpts)
}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_PassSale *PassSaleCallerSession) PricePerPeriod() (*big.Int, error) {
	return _PassSale.Contract.PricePerPeriod(&_PassSale.CallOpts)
}

// Shares is a free data retrieval call binding the contract method 0xce7c2ac2.
//
// Solidity: function shares(address payee) view returns(uint256)
func (_PassSale *PassSaleCaller) Shares(opts *bind.CallOpts, payee common.Address) (*big.Int, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "shares", payee)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Shares is a free data retrieval call binding the contract method 0xce7c2ac2.
//
// Solidity: function shares(address payee) view returns(uint256)
func (_PassSale *PassSaleSession) Shares(payee common.Address) (*big.Int, error) {
	return _PassSale.Contract.Shares(&_PassSale.CallOpts, payee)
}

// Shares is a free data retrieval call binding the contract method 0xce7c2ac2.
//
// Solidity: function shares(address payee) view returns(uint256)
func (_PassSale *PassSaleCallerSession) Shares(payee common.Address) (*big.Int, error) {
	return _PassSale.Contract.Shares(&_PassSale.CallOpts, payee)
}

// TotalShares is a free data retrieval call binding the contract method 0x3a98ef39.
//
// Solidity: function totalShares() view returns(uint256)
func (_PassSale *PassSaleCaller) TotalShares(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _PassSale.contract.Call(opts, &out, "totalShares")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TotalShares is a free data retrieval call binding the contract method 0x3a98ef39.
//
// Solidity: function totalShares() view returns(uint256)
func (_PassSale *PassSaleSession) TotalShares() (*big.Int, error) {
	return _PassSale.Contract.TotalShares(&_PassSale.CallOpts)
}

// TotalShares is a free data retrieval call binding the contract method 0x3a98ef39.
//
// Solidity: function totalShares() view returns(uint256)
func (_PassSale *PassSaleCallerSession) TotalShares() (*big.Int, error) {
	return _PassSale.Contract.TotalShares(&_PassSale.CallOpts)
}

// Buy is a paid mutator transaction binding the contract method 0x215adc4a.
//
// Solidity: function buy(uint64 periods) payable returns(uint256 tokenId)
func (_PassSale *PassSaleTransactor) Buy(opts *bind.TransactOpts, periods uint64) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "buy", periods)
}

// Buy is a paid mutator transaction binding the contract method 0x215adc4a.
//
// Solidity: function buy(uint64 periods) payable returns(uint256 tokenId)
func (_PassSale *PassSaleSession) Buy(periods uint64) (*types.Transaction, error) {
	return _PassSale.Contract.Buy(&_PassSale.TransactOpts, periods)
}

// Buy is a paid mutator transaction binding the contract method 0x215adc4a.
//
// Solidity: function buy(uint64 periods) payable returns(uint256 tokenId)
func (_PassSale *PassSaleTransactorSession) Buy(periods uint64) (*types.Transaction, error) {
	return _PassSale.Contract.Buy(&_PassSale.TransactOpts, periods)
}

// Pause is a paid mutator transaction binding the contract method 0x8456cb59.
//
// Solidity: function pause() returns()
func (_PassSale *PassSaleTransactor) Pause(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "pause")
}

// Pause is a paid mutator transaction binding the contract method 0x8456cb59.
//
// Solidity: function pause() returns()
func (_PassSale *PassSaleSession) Pause() (*types.Transaction, error) {
	return _PassSale.Contract.Pause(&_PassSale.TransactOpts)
}

// Pause is a paid mutator transaction binding the contract method 0x8456cb59.
//
// Solidity: function pause() returns()
func (_PassSale *PassSaleTransactorSession) Pause() (*types.Transaction, error) {
	return _PassSale.Contract.Pause(&_PassSale.TransactOpts)
}

// Renew is a paid mutator transaction binding the contract method 0x5569f33d.
//
// Solidity: function renew(uint256 tokenId, uint64 periods) payable returns()
func (_PassSale *PassSaleTransactor) Renew(opts *bind.TransactOpts, tokenId *big.Int, periods uint64) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "renew", tokenId, periods)
}

// Renew is a paid mutator transaction binding the contract method 0x5569f33d.
//
// Solidity: function renew(uint256 tokenId, uint64 periods) payable returns()
func (_PassSale *PassSaleSession) Renew(tokenId *big.Int, periods uint64) (*types.Transaction, error) {
	return _PassSale.Contract.Renew(&_PassSale.TransactOpts, tokenId, periods)
}

// Renew is a paid mutator transaction binding the contract method 0x5569f33d.
//
// Solidity: function renew(uint256 tokenId, uint64 periods) payable returns()
func (_PassSale *PassSaleTransactorSession) Renew(tokenId *big.Int, periods uint64) (*types.Transaction, error) {
	return _PassSale.Contract.Renew(&_PassSale.TransactOpts, tokenId, periods)
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_PassSale *PassSaleTransactor) RenounceOwnership(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "renounceOwnership")
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_PassSale *PassSaleSession) RenounceOwnership() (*types.Transaction, error) {
	return _PassSale.Contract.RenounceOwnership(&_PassSale.TransactOpts)
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_PassSale *PassSaleTransactorSession) RenounceOwnership() (*types.Transaction, error) {
	return _PassSale.Contract.RenounceOwnership(&_PassSale.TransactOpts)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_PassSale *PassSaleTransactor) SetPrice(opts *bind.TransactOpts, pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "setPrice", pricePerPeriod_)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_PassSale *PassSaleSession) SetPrice(pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _PassSale.Contract.SetPrice(&_PassSale.TransactOpts, pricePerPeriod_)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_PassSale *PassSaleTransactorSession) SetPrice(pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _PassSale.Contract.SetPrice(&_PassSale.TransactOpts, pricePerPeriod_)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_PassSale *PassSaleTransactor) TransferOwnership(opts *bind.TransactOpts, newOwner common.Address) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "transferOwnership", newOwner)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_PassSale *PassSaleSession) TransferOwnership(newOwner common.Address) (*types.Transaction, error) {
	return _PassSale.Contract.TransferOwnership(&_PassSale.TransactOpts, newOwner)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_PassSale *PassSaleTransactorSession) TransferOwnership(newOwner common.Address) (*types.Transaction, error) {
	return _PassSale.Contract.TransferOwnership(&_PassSale.TransactOpts, newOwner)
}

// Unpause is a paid mutator transaction binding the contract method 0x3f4ba83a.
//
// Solidity: function unpause() returns()
func (_PassSale *PassSaleTransactor) Unpause(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "unpause")
}

// Unpause is a paid mutator transaction binding the contract method 0x3f4ba83a.
//
// Solidity: function unpause() returns()
func (_PassSale *PassSaleSession) Unpause() (*types.Transaction, error) {
	return _PassSale.Contract.Unpause(&_PassSale.TransactOpts)
}

// Unpause is a paid mutator transaction binding the contract method 0x3f4ba83a.
//
// Solidity: function unpause() returns()
func (_PassSale *PassSaleTransactorSession) Unpause() (*types.Transaction, error) {
	return _PassSale.Contract.Unpause(&_PassSale.TransactOpts)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_PassSale *PassSaleTransactor) Withdraw(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _PassSale.contract.Transact(opts, "withdraw")
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_PassSale *PassSaleSession) Withdraw() (*types.Transaction, error) {
	return _PassSale.Contract.Withdraw(&_PassSale.TransactOpts)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_PassSale *PassSaleTransactorSession) Withdraw() (*types.Transaction, error) {
	return _PassSale.Contract.Withdraw(&_PassSale.TransactOpts)
}

// PassSaleOwnershipTransferredIterator is returned from FilterOwnershipTransferred and is used to iterate over the raw logs and unpacked data for OwnershipTransferred events raised by the PassSale contract.
type PassSaleOwnershipTransferredIterator struct {
	Event *PassSaleOwnershipTransferred // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSaleOwnershipTransferredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSaleOwnershipTransferred)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSaleOwnershipTransferred)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSaleOwnershipTransferredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSaleOwnershipTransferredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSaleOwnershipTransferred represents a OwnershipTransferred event raised by the PassSale contract.
type PassSaleOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           types.Log // Blockchain specific contextual infos
}

// FilterOwnershipTransferred is a free log retrieval operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_PassSale *PassSaleFilterer) FilterOwnershipTransferred(opts *bind.FilterOpts, previousOwner []common.Address, newOwner []common.Address) (*PassSaleOwnershipTransferredIterator, error) {

	var previousOwnerRule []interface{}
	for _, previousOwnerItem := range previousOwner {
		previousOwnerRule = append(previousOwnerRule, previousOwnerItem)
	}
	var newOwnerRule []interface{}
	for _, newOwnerItem := range newOwner {
		newOwnerRule = append(newOwnerRule, newOwnerItem)
	}

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "OwnershipTransferred", previousOwnerRule, newOwnerRule)
	if err != nil {
		return nil, err
	}
	return &PassSaleOwnershipTransferredIterator{contract: _PassSale.contract, event: "OwnershipTransferred", logs: logs, sub: sub}, nil
}

// WatchOwnershipTransferred is a free log subscription operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_PassSale *PassSaleFilterer) WatchOwnershipTransferred(opts *bind.WatchOpts, sink chan<- *PassSaleOwnershipTransferred, previousOwner []common.Address, newOwner []common.Address) (event.Subscription, error) {

	var previousOwnerRule []interface{}
	for _, previousOwnerItem := range previousOwner {
		previousOwnerRule = append(previousOwnerRule, previousOwnerItem)
	}
	var newOwnerRule []interface{}
	for _, newOwnerItem := range newOwner {
		newOwnerRule = append(newOwnerRule, newOwnerItem)
	}

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "OwnershipTransferred", previousOwnerRule, newOwnerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSaleOwnershipTransferred)
				if err := _PassSale.contract.UnpackLog(event, "OwnershipTransferred", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOwnershipTransferred is a log parse operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_PassSale *PassSaleFilterer) ParseOwnershipTransferred(log types.Log) (*PassSaleOwnershipTransferred, error) {
	event := new(PassSaleOwnershipTransferred)
	if err := _PassSale.contract.UnpackLog(event, "OwnershipTransferred", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSalePausedIterator is returned from FilterPaused and is used to iterate over the raw logs and unpacked data for Paused events raised by the PassSale contract.
type PassSalePausedIterator struct {
	Event *PassSalePaused // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSalePausedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSalePaused)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSalePaused)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSalePausedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSalePausedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSalePaused represents a Paused event raised by the PassSale contract.
type PassSalePaused struct {
	Account common.Address
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterPaused is a free log retrieval operation binding the contract event 0x62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258.
//
// Solidity: event Paused(address account)
func (_PassSale *PassSaleFilterer) FilterPaused(opts *bind.FilterOpts) (*PassSalePausedIterator, error) {

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "Paused")
	if err != nil {
		return nil, err
	}
	return &PassSalePausedIterator{contract: _PassSale.contract, event: "Paused", logs: logs, sub: sub}, nil
}

// WatchPaused is a free log subscription operation binding the contract event 0x62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258.
//
// Solidity: event Paused(address account)
func (_PassSale *PassSaleFilterer) WatchPaused(opts *bind.WatchOpts, sink chan<- *PassSalePaused) (event.Subscription, error) {

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "Paused")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSalePaused)
				if err := _PassSale.contract.UnpackLog(event, "Paused", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParsePaused is a log parse operation binding the contract event 0x62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258.
//
// Solidity: event Paused(address account)
func (_PassSale *PassSaleFilterer) ParsePaused(log types.Log) (*PassSalePaused, error) {
	event := new(PassSalePaused)
	if err := _PassSale.contract.UnpackLog(event, "Paused", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSalePriceSetIterator is returned from FilterPriceSet and is used to iterate over the raw logs and unpacked data for PriceSet events raised by the PassSale contract.
type PassSalePriceSetIterator struct {
	Event *PassSalePriceSet // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSalePriceSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSalePriceSet)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSalePriceSet)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSalePriceSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSalePriceSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSalePriceSet represents a PriceSet event raised by the PassSale contract.
type PassSalePriceSet struct {
	PricePerPeriod *big.Int
	Raw            types.Log // Blockchain specific contextual infos
}

// FilterPriceSet is a free log retrieval operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_PassSale *PassSaleFilterer) FilterPriceSet(opts *bind.FilterOpts) (*PassSalePriceSetIterator, error) {

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "PriceSet")
	if err != nil {
		return nil, err
	}
	return &PassSalePriceSetIterator{contract: _PassSale.contract, event: "PriceSet", logs: logs, sub: sub}, nil
}

// WatchPriceSet is a free log subscription operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_PassSale *PassSaleFilterer) WatchPriceSet(opts *bind.WatchOpts, sink chan<- *PassSalePriceSet) (event.Subscription, error) {

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "PriceSet")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSalePriceSet)
				if err := _PassSale.contract.UnpackLog(event, "PriceSet", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParsePriceSet is a log parse operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_PassSale *PassSaleFilterer) ParsePriceSet(log types.Log) (*PassSalePriceSet, error) {
	event := new(PassSalePriceSet)
	if err := _PassSale.contract.UnpackLog(event, "PriceSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSaleRenewedIterator is returned from FilterRenewed and is used to iterate over the raw logs and unpacked data for Renewed events raised by the PassSale contract.
type PassSaleRenewedIterator struct {
	Event *PassSaleRenewed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSaleRenewedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSaleRenewed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSaleRenewed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSaleRenewedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSaleRenewedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSaleRenewed represents a Renewed event raised by the PassSale contract.
type PassSaleRenewed struct {
	Payer   common.Address
	TokenId *big.Int
	Periods uint64
	Paid    *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterRenewed is a free log retrieval operation binding the contract event 0xade664517bf02b52824a2afa4a962d98c4724791e61fb71eff8266991e7a7b72.
//
// Solidity: event Renewed(address indexed payer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) FilterRenewed(opts *bind.FilterOpts, payer []common.Address, tokenId []*big.Int) (*PassSaleRenewedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "Renewed", payerRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &PassSaleRenewedIterator{contract: _PassSale.contract, event: "Renewed", logs: logs, sub: sub}, nil
}

// WatchRenewed is a free log subscription operation binding the contract event 0xade664517bf02b52824a2afa4a962d98c4724791e61fb71eff8266991e7a7b72.
//
// Solidity: event Renewed(address indexed payer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) WatchRenewed(opts *bind.WatchOpts, sink chan<- *PassSaleRenewed, payer []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "Renewed", payerRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSaleRenewed)
				if err := _PassSale.contract.UnpackLog(event, "Renewed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRenewed is a log parse operation binding the contract event 0xade664517bf02b52824a2afa4a962d98c4724791e61fb71eff8266991e7a7b72.
//
// Solidity: event Renewed(address indexed payer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) ParseRenewed(log types.Log) (*PassSaleRenewed, error) {
	event := new(PassSaleRenewed)
	if err := _PassSale.contract.UnpackLog(event, "Renewed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSaleSoldIterator is returned from FilterSold and is used to iterate over the raw logs and unpacked data for Sold events raised by the PassSale contract.
type PassSaleSoldIterator struct {
	Event *PassSaleSold // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSaleSoldIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSaleSold)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSaleSold)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSaleSoldIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSaleSoldIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSaleSold represents a Sold event raised by the PassSale contract.
type PassSaleSold struct {
	Buyer   common.Address
	TokenId *big.Int
	Periods uint64
	Paid    *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterSold is a free log retrieval operation binding the contract event 0xf23ad803732d8c7f774dad648e64f4b04d9e5eb76ccc54e7291551a41190d2ff.
//
// Solidity: event Sold(address indexed buyer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) FilterSold(opts *bind.FilterOpts, buyer []common.Address, tokenId []*big.Int) (*PassSaleSoldIterator, error) {

	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "Sold", buyerRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &PassSaleSoldIterator{contract: _PassSale.contract, event: "Sold", logs: logs, sub: sub}, nil
}

// WatchSold is a free log subscription operation binding the contract event 0xf23ad803732d8c7f774dad648e64f4b04d9e5eb76ccc54e7291551a41190d2ff.
//
// Solidity: event Sold(address indexed buyer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) WatchSold(opts *bind.WatchOpts, sink chan<- *PassSaleSold, buyer []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "Sold", buyerRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSaleSold)
				if err := _PassSale.contract.UnpackLog(event, "Sold", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSold is a log parse operation binding the contract event 0xf23ad803732d8c7f774dad648e64f4b04d9e5eb76ccc54e7291551a41190d2ff.
//
// Solidity: event Sold(address indexed buyer, uint256 indexed tokenId, uint64 periods, uint256 paid)
func (_PassSale *PassSaleFilterer) ParseSold(log types.Log) (*PassSaleSold, error) {
	event := new(PassSaleSold)
	if err := _PassSale.contract.UnpackLog(event, "Sold", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSaleUnpausedIterator is returned from FilterUnpaused and is used to iterate over the raw logs and unpacked data for Unpaused events raised by the PassSale contract.
type PassSaleUnpausedIterator struct {
	Event *PassSaleUnpaused // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSaleUnpausedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSaleUnpaused)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSaleUnpaused)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSaleUnpausedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSaleUnpausedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSaleUnpaused represents a Unpaused event raised by the PassSale contract.
type PassSaleUnpaused struct {
	Account common.Address
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterUnpaused is a free log retrieval operation binding the contract event 0x5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa.
//
// Solidity: event Unpaused(address account)
func (_PassSale *PassSaleFilterer) FilterUnpaused(opts *bind.FilterOpts) (*PassSaleUnpausedIterator, error) {

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "Unpaused")
	if err != nil {
		return nil, err
	}
	return &PassSaleUnpausedIterator{contract: _PassSale.contract, event: "Unpaused", logs: logs, sub: sub}, nil
}

// WatchUnpaused is a free log subscription operation binding the contract event 0x5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa.
//
// Solidity: event Unpaused(address account)
func (_PassSale *PassSaleFilterer) WatchUnpaused(opts *bind.WatchOpts, sink chan<- *PassSaleUnpaused) (event.Subscription, error) {

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "Unpaused")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSaleUnpaused)
				if err := _PassSale.contract.UnpackLog(event, "Unpaused", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUnpaused is a log parse operation binding the contract event 0x5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa.
//
// Solidity: event Unpaused(address account)
func (_PassSale *PassSaleFilterer) ParseUnpaused(log types.Log) (*PassSaleUnpaused, error) {
	event := new(PassSaleUnpaused)
	if err := _PassSale.contract.UnpackLog(event, "Unpaused", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// PassSaleWithdrawnIterator is returned from FilterWithdrawn and is used to iterate over the raw logs and unpacked data for Withdrawn events raised by the PassSale contract.
type PassSaleWithdrawnIterator struct {
	Event *PassSaleWithdrawn // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *PassSaleWithdrawnIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(PassSaleWithdrawn)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(PassSaleWithdrawn)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *PassSaleWithdrawnIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *PassSaleWithdrawnIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// PassSaleWithdrawn represents a Withdrawn event raised by the PassSale contract.
type PassSaleWithdrawn struct {
	Payee  common.Address
	Amount *big.Int
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterWithdrawn is a free log retrieval operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payee, uint256 amount)
func (_PassSale *PassSaleFilterer) FilterWithdrawn(opts *bind.FilterOpts, payee []common.Address) (*PassSaleWithdrawnIterator, error) {

	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _PassSale.contract.FilterLogs(opts, "Withdrawn", payeeRule)
	if err != nil {
		return nil, err
	}
	return &PassSaleWithdrawnIterator{contract: _PassSale.contract, event: "Withdrawn", logs: logs, sub: sub}, nil
}

// WatchWithdrawn is a free log subscription operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payee, uint256 amount)
func (_PassSale *PassSaleFilterer) WatchWithdrawn(opts *bind.WatchOpts, sink chan<- *PassSaleWithdrawn, payee []common.Address) (event.Subscription, error) {

	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _PassSale.contract.WatchLogs(opts, "Withdrawn", payeeRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(PassSaleWithdrawn)
				if err := _PassSale.contract.UnpackLog(event, "Withdrawn", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseWithdrawn is a log parse operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payee, uint256 amount)
func (_PassSale *PassSaleFilterer) ParseWithdrawn(log types.Log) (*PassSaleWithdrawn, error) {
	event := new(PassSaleWithdrawn)
	if err := _PassSale.contract.UnpackLog(event, "Withdrawn", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassMetaData contains all meta data concerning the StreamGatePass contract.
var StreamGatePassMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"creator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"period_\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod_\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"royaltyReceiver\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"royaltyBps\",\"type\":\"uint96\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"ERC2981InvalidDefaultRoyalty\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC2981InvalidDefaultRoyaltyReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"numerator\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"denominator\",\"type\":\"uint256\"}],\"name\":\"ERC2981InvalidTokenRoyalty\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC2981InvalidTokenRoyaltyReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ERC721IncorrectOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ERC721InsufficientApproval\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"approver\",\"type\":\"address\"}],\"name\":\"ERC721InvalidApprover\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"ERC721InvalidOperator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ERC721InvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC721InvalidReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"ERC721InvalidSender\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ERC721NonexistentToken\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoFunds\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotMinter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"NotOwnerNorApproved\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"period\",\"type\":\"uint64\"}],\"name\":\"NotWholePeriods\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"OwnableInvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"OwnableUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"}],\"name\":\"WrongPayment\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"approved\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"ApprovalForAll\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"minter\",\"type\":\"address\"}],\"name\":\"MinterSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pricePerPeriod\",\"type\":\"uint256\"}],\"name\":\"PriceSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiration\",\"type\":\"uint64\"}],\"name\":\"SubscriptionUpdate\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expires\",\"type\":\"uint64\"}],\"name\":\"UpdateUser\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"cancelSubscription\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"expiresAt\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"getApproved\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"isApprovedForAll\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"isRenewable\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minter\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"period\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pricePerPeriod\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"}],\"name\":\"renewSubscription\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"salePrice\",\"type\":\"uint256\"}],\"name\":\"royaltyInfo\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"safeTransferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"safeTransferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"setApprovalForAll\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"minter_\",\"type\":\"address\"}],\"name\":\"setMinter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pricePerPeriod_\",\"type\":\"uint256\"}],\"name\":\"setPrice\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"bps\",\"type\":\"uint96\"}],\"name\":\"setRoyalty\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expires\",\"type\":\"uint64\"}],\"name\":\"setUser\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes4\",\"name\":\"interfaceId\",\"type\":\"bytes4\"}],\"name\":\"supportsInterface\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"tokenURI\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"userExpires\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"userOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"addresspayable\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161248e38038061248e83398101604081905261002e916102b6565b8487875f61003c8382610402565b5060016100498282610402565b5050506001600160a01b03811661007a57604051631e4fbdf760e01b81525f60048201526024015b60405180910390fd5b610083816100f5565b505f846001600160401b0316116100cd5760405162461bcd60e51b815260206004820152600e60248201526d706572696f64206973207a65726f60901b6044820152606401610071565b6001600160401b03841660805260098390556100e98282610146565b505050505050506104c0565b600880546001600160a01b038381166001600160a01b0319831681179093556040519116919082907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0905f90a35050565b6127106001600160601b03821681101561018557604051636f483d0960e01b81526001600160601b038316600482015260248101829052604401610071565b6001600160a01b0383166101ae57604051635b6cc80560e11b81525f6004820152602401610071565b50604080518082019091526001600160a01b039092168083526001600160601b039091166020909201829052600160a01b90910217600655565b634e487b7160e01b5f52604160045260245ffd5b5f82601f83011261020b575f5ffd5b81516001600160401b03811115610224576102246101e8565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610252576102526101e8565b604052818152838201602001851015610269575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b80516001600160a01b038116811461029b575f5ffd5b919050565b80516001600160601b038116811461029b575f5ffd5b5f5f5f5f5f5f5f60e0888a0312156102cc575f5ffd5b87516001600160401b038111156102e1575f5ffd5b6102ed8a828b016101fc565b60208a015190985090506001600160401b0381111561030a575f5ffd5b6103168a828b016101fc565b96505061032560408901610285565b60608901519095506001600160401b0381168114610341575f5ffd5b6080890151909450925061035760a08901610285565b915061036560c089016102a0565b905092959891949750929550565b600181811c9082168061038757607f821691505b6020821081036103a557634e487b7160e01b5f52602260045260245ffd5b50919050565b601f8211156103fd57828211156103fd57805f5260205f20601f840160051c60208510156103d657505f5b90810190601f840160051c035f5b818110156103f9575f838201556001016103e4565b5050505b505050565b81516001600160401b0381111561041b5761041b6101e8565b61042f816104298454610373565b846103ab565b6020601f821160018114610461575f831561044a5750848201515b5f19600385901b1c1916600184901b1784556104b9565b5f84815260208120601f198516915b828110156104905787850151825560209485019460019092019101610470565b50848210156104ad57868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b608051611fa16104ed5f395f81816105f501528181610ae0015281816111f001526112450152611fa15ff3fe6080604052600436106101e6575f3560e01c80638b3d35ae11610108578063b88d4fde1161009d578063e030565e1161006d578063e030565e146105a6578063e985e9c5146105c5578063ef78d4fd146105e4578063f2fde38b14610617578063fca3b5aa14610636575f5ffd5b8063b88d4fde1461052a578063c2f1f14a14610549578063c87b56dd14610568578063cde317af14610587575f5ffd5b806391b7f5ed116100d857806391b7f5ed146104c357806395d89b41146104e2578063a22cb465146104f6578063a4fe8a1814610515575f5ffd5b80638b3d35ae1461042d5780638da5cb5b1461044c5780638f2fc60b146104695780638fc88c4814610488575f5ffd5b80632a55205a1161017e5780636352211e1161014e5780636352211e146103ba57806370a08231146103d9578063715018a614610406578063776ce8681461041a575f5ffd5b80632a55205a1461031f57806342842e0e1461035d57806342966c681461037c57806351cff8d91461039b575f5ffd5b8063095ea7b3116101b9578063095ea7b31461029557806317c95709146102b657806321235083146102ed57806323b872dd14610300575f5ffd5b806301ffc9a7146101ea57806306fdde031461021e578063075461721461023f578063081812fc14610276575b5f5ffd5b3480156101f5575f5ffd5b50610209610204366004611a7b565b610655565b60405190151581526020015b60405180910390f35b348015610229575f5ffd5b5061023261069a565b6040516102159190611ac4565b34801561024a575f5ffd5b50600a5461025e906001600160a01b031681565b6040516001600160a01b039091168152602001610215565b348015610281575f5ffd5b5061025e610290366004611ad6565b610729565b3480156102a0575f5ffd5b506102b46102af366004611b01565b610750565b005b3480156102c1575f5ffd5b506102d56102d0366004611ad6565b61075f565b6040516001600160401b039091168152602001610215565b6102b46102fb366004611ad6565b610785565b34801561030b575f5ffd5b506102b461031a366004611b2b565b610852565b34801561032a575f5ffd5b5061033e610339366004611b69565b6108db565b604080516001600160a01b039093168352602083019190915201610215565b348015610368575f5ffd5b506102b4610377366004611b2b565b610954565b348015610387575f5ffd5b506102b4610396366004611ad6565b610973565b3480156103a6575f5ffd5b506102b46103b5366004611b89565b6109b9565b3480156103c5575f5ffd5b5061025e6103d4366004611ad6565b610a58565b3480156103e4575f5ffd5b506103f86103f3366004611b89565b610a62565b604051908152602001610215565b348015610411575f5ffd5b506102b4610aa7565b6102b4610428366004611bbf565b610aba565b348015610438575f5ffd5b506102b4610447366004611be9565b610b91565b348015610457575f5ffd5b506008546001600160a01b031661025e565b348015610474575f5ffd5b506102b4610483366004611c24565b610beb565b348015610493575f5ffd5b506103f86104a2366004611ad6565b5f908152600c6020526040902054600160a01b90046001600160401b031690565b3480156104ce575f5ffd5b506102b46104dd366004611ad6565b610bfd565b3480156104ed575f5ffd5b50610232610c41565b348015610501575f5ffd5b506102b4610510366004611c66565b610c50565b348015610520575f5ffd5b506103f860095481565b348015610535575f5ffd5b506102b4610544366004611caa565b610c5b565b348015610554575f5ffd5b5061025e610563366004611ad6565b610c73565b348015610573575f5ffd5b50610232610582366004611ad6565b610cc6565b348015610592575f5ffd5b506102096105a1366004611ad6565b610d36565b3480156105b1575f5ffd5b506102b46105c0366004611d88565b610d49565b3480156105d0575f5ffd5b506102096105df366004611dba565b610e1c565b3480156105ef575f5ffd5b506102d57f000000000000000000000000000000000000000000000000000000000000000081565b348015610622575f5ffd5b506102b4610631366004611b89565b610e49565b348015610641575f5ffd5b506102b4610650366004611b89565b610e86565b5f6001600160e01b03198216638c65f84d60e01b148061068557506001600160e01b03198216632b424ad760e21b145b80610694575061069482610edc565b92915050565b60605f80546106a890611de6565b80601f01602080910402602001604051908101604052809291908181526020018280546106d490611de6565b801561071f5780601f106106f65761010080835404028352916020019161071f565b820191905f5260205f20905b81548152906001019060200180831161070257829003601f168201915b5050505050905090565b5f61073382610f00565b505f828152600460205260409020546001600160a01b0316610694565b61075b828233610f38565b5050565b5f61076982610f00565b50505f908152600b60205260409020546001600160401b031690565b5f61078f82610f00565b905061079c813384610f45565b6107c7576040516326e6a53160e01b8152336004820152602481018390526044015b60405180910390fd5b34156107ee57604051630374cb4760e21b81523460048201525f60248201526044016107be565b5f828152600b6020908152604091829020805467ffffffffffffffff1916426001600160401b0316908117909155915191825283917f2ec2be2c4b90c2cf13ecb6751a24daed6bb741ae5ed3f7371aabf9402f6d62e8910160405180910390a25050565b6001600160a01b03821661087b57604051633250574960e11b81525f60048201526024016107be565b5f610887838333610fa9565b9050836001600160a01b0316816001600160a01b0316146108d5576040516364283d7b60e01b81526001600160a01b03808616600483015260248201849052821660448201526064016107be565b50505050565b5f82815260076020526040812080548291906001600160a01b03811690600160a01b90046001600160601b03168161092e5750506006546001600160a01b03811690600160a01b90046001600160601b03165b5f610945876001600160601b038416612710611074565b92989297509195505050505050565b61096e83838360405180602001604052805f815250610c5b565b505050565b5f61097d82610f00565b905061098a813384610f45565b6109b0576040516326e6a53160e01b8152336004820152602481018390526044016107be565b61075b82611124565b6109c161115c565b600d545f8190036109e55760405163043f9e1160e41b815260040160405180910390fd5b5f600d8190556040516001600160a01b0384169083908381818185875af1925050503d805f8114610a31576040519150601f19603f3d011682016040523d82523d5f602084013e610a36565b606091505b505090508061096e576040516312171d8360e31b815260040160405180910390fd5b5f61069482610f00565b5f6001600160a01b038216610a8c576040516322718ad960e21b81525f60048201526024016107be565b506001600160a01b03165f9081526003602052604090205490565b610aaf61115c565b610ab85f611189565b565b610ac382610f00565b50600a546001600160a01b03163314610b60576009545f90610b057f000000000000000000000000000000000000000000000000000000000000000084611e46565b6001600160401b0316610b189190611e73565b9050803414610b4357604051630374cb4760e21b8152346004820152602481018290526044016107be565b34600d5f828254610b549190611e8a565b90915550610b87915050565b3415610b8757604051630374cb4760e21b81523460048201525f60248201526044016107be565b61075b82826111da565b600a546001600160a01b03163314801590610bb757506008546001600160a01b03163314155b15610bd757604051631b0e18f960e11b81523360048201526024016107be565b610be18383611308565b61096e82826111da565b610bf361115c565b61075b8282611321565b610c0561115c565b60098190556040518181527f6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66906020015b60405180910390a150565b6060600180546106a890611de6565b61075b3383836113c3565b610c66848484610852565b6108d5338585858561148a565b5f818152600c602090815260408083208151808301909252546001600160a01b0381168252600160a01b90046001600160401b031691810182905290421115610cbc575f610cbf565b80515b9392505050565b6060610cd182610f00565b505f610ce760408051602081019091525f815290565b90505f815111610d055760405180602001604052805f815250610cbf565b80610d0f846115b2565b604051602001610d20929190611eb4565b6040516020818303038152906040529392505050565b5f610d4082610f00565b50600192915050565b5f610d5384610f00565b9050610d60813386610f45565b610d86576040516326e6a53160e01b8152336004820152602481018590526044016107be565b6040805180820182526001600160a01b038581168083526001600160401b0386811660208086018281525f8c8152600c835288902096518754915196166001600160e01b031990911617600160a01b959093169490940291909117909355925191825286917f4e06b4e7000e659094299b3533b47b6aa8ad048e95e872d23d1f4ee55af89cfe910160405180910390a350505050565b6001600160a01b039182165f90815260056020908152604080832093909416825291909152205460ff1690565b610e5161115c565b6001600160a01b038116610e7a57604051631e4fbdf760e01b81525f60048201526024016107be565b610e8381611189565b50565b610e8e61115c565b600a80546001600160a01b0319166001600160a01b0383169081179091556040519081527f726b590ef91a8c76ad05bbe91a57ef84605276528f49cd47d787f558a4e755b690602001610c36565b5f6001600160e01b0319821663152a902d60e11b1480610694575061069482611641565b5f818152600260205260408120546001600160a01b03168061069457604051637e27328960e01b8152600481018490526024016107be565b61096e8383836001611690565b5f6001600160a01b03831615801590610fa15750826001600160a01b0316846001600160a01b03161480610f7e5750610f7e8484610e1c565b80610fa157505f828152600460205260409020546001600160a01b038481169116145b949350505050565b5f610fb5848484611794565b9050836001600160a01b0316816001600160a01b031614158015610fee57505f838152600c60205260409020546001600160a01b031615155b15611043575f838152600c6020908152604080832080546001600160e01b03191690555182815285917f4e06b4e7000e659094299b3533b47b6aa8ad048e95e872d23d1f4ee55af89cfe910160405180910390a35b6001600160a01b038416610cbf575f838152600b60205260409020805467ffffffffffffffff191690559392505050565b5f5f5f6110818686611886565b91509150815f036110a55783818161109b5761109b611e1e565b0492505050610cbf565b8184116110bc576110bc60038515026011186118a2565b5f848688095f868103871696879004966002600389028118808a02820302808a02820302808a02820302808a02820302808a02820302808a02909103029181900381900460010185841190960395909502919093039390930492909217029150509392505050565b5f6111305f835f610fa9565b90506001600160a01b03811661075b57604051637e27328960e01b8152600481018390526024016107be565b6008546001600160a01b03163314610ab85760405163118cdaa760e01b81523360048201526024016107be565b600880546001600160a01b038381166001600160a01b0319831681179093556040519116919082907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0905f90a35050565b6001600160401b038116158061122157506112157f000000000000000000000000000000000000000000000000000000000000000082611ec8565b6001600160401b031615155b1561127257604051638e78e65b60e01b81526001600160401b0380831660048301527f00000000000000000000000000000000000000000000000000000000000000001660248201526044016107be565b5f828152600b60205260409020546001600160401b0316428110156112945750425b5f61129f8383611ef5565b5f858152600b6020908152604091829020805467ffffffffffffffff19166001600160401b038516908117909155915191825291925085917f2ec2be2c4b90c2cf13ecb6751a24daed6bb741ae5ed3f7371aabf9402f6d62e8910160405180910390a250505050565b61075b828260405180602001604052805f8152506118b3565b6127106001600160601b03821681101561136057604051636f483d0960e01b81526001600160601b0383166004820152602481018290526044016107be565b6001600160a01b03831661138957604051635b6cc80560e11b81525f60048201526024016107be565b50604080518082019091526001600160a01b039092168083526001600160601b039091166020909201829052600160a01b90910217600655565b6001600160a01b0383166113ec5760405163a9fbf51f60e01b81525f60048201526024016107be565b6001600160a01b03821661141e57604051630b61174360e31b81526001600160a01b03831660048201526024016107be565b6001600160a01b038381165f81815260056020908152604080832094871680845294825291829020805460ff191686151590811790915591519182527f17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31910160405180910390a3505050565b6001600160a01b0383163b156115ab57604051630a85bd0160e11b81526001600160a01b0384169063150b7a02906114cc908890889087908790600401611f14565b6020604051808303815f875af1925050508015611506575060408051601f3d908101601f1916820190925261150391810190611f50565b60015b61156d573d808015611533576040519150601f19603f3d011682016040523d82523d5f602084013e611538565b606091505b5080515f0361156557604051633250574960e11b81526001600160a01b03851660048201526024016107be565b805160208201fd5b6001600160e01b03198116630a85bd0160e11b146115a957604051633250574960e11b81526001600160a01b03851660048201526024016107be565b505b5050505050565b60605f6115be836118ca565b60010190505f816001600160401b038111156115dc576115dc611c96565b6040519080825280601f01601f191660200182016040528015611606576020820181803683370190505b5090508181016020015b5f19016f181899199a1a9b1b9c1cb0b131b232b360811b600a86061a8153600a850494508461161057509392505050565b5f6001600160e01b031982166380ac58cd60e01b148061167157506001600160e01b03198216635b5e139f60e01b145b8061069457506301ffc9a760e01b6001600160e01b0319831614610694565b80806116a457506001600160a01b03821615155b15611765575f6116b384610f00565b90506001600160a01b038316158015906116df5750826001600160a01b0316816001600160a01b031614155b80156116f257506116f08184610e1c565b155b1561171b5760405163a9fbf51f60e01b81526001600160a01b03841660048201526024016107be565b81156117635783856001600160a01b0316826001600160a01b03167f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92560405160405180910390a45b505b50505f90815260046020526040902080546001600160a01b0319166001600160a01b0392909216919091179055565b5f828152600260205260408120546001600160a01b03908116908316156117c0576117c08184866119a1565b6001600160a01b038116156117fa576117db5f855f5f611690565b6001600160a01b0381165f90815260036020526040902080545f190190555b6001600160a01b03851615611828576001600160a01b0385165f908152600360205260409020805460010190555b5f8481526002602052604080822080546001600160a01b0319166001600160a01b0389811691821790925591518793918516917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef91a4949350505050565b5f805f1983850993909202808410938190039390930393915050565b634e487b715f52806020526024601cfd5b6118bd8383611a05565b61096e335f85858561148a565b5f8072184f03e93ff9f4daa797ed6e38ed64bf6a1f0160401b83106119085772184f03e93ff9f4daa797ed6e38ed64bf6a1f0160401b830492506040015b6d04ee2d6d415b85acef81000000008310611934576d04ee2d6d415b85acef8100000000830492506020015b662386f26fc10000831061195257662386f26fc10000830492506010015b6305f5e100831061196a576305f5e100830492506008015b612710831061197e57612710830492506004015b60648310611990576064830492506002015b600a83106106945760010192915050565b6119ac838383610f45565b61096e576001600160a01b0383166119da57604051637e27328960e01b8152600481018290526024016107be565b60405163177e802f60e01b81526001600160a01b0383166004820152602481018290526044016107be565b6001600160a01b038216611a2e57604051633250574960e11b81525f60048201526024016107be565b5f611a3a83835f610fa9565b90506001600160a01b0381161561096e576040516339e3563760e11b81525f60048201526024016107be565b6001600160e01b031981168114610e83575f5ffd5b5f60208284031215611a8b575f5ffd5b8135610cbf81611a66565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081525f610cbf6020830184611a96565b5f60208284031215611ae6575f5ffd5b5035919050565b6001600160a01b0381168114610e83575f5ffd5b5f5f60408385031215611b12575f5ffd5b8235611b1d81611aed565b946020939093013593505050565b5f5f5f60608486031215611b3d575f5ffd5b8335611b4881611aed565b92506020840135611b5881611aed565b929592945050506040919091013590565b5f5f60408385031215611b7a575f5ffd5b50508035926020909101359150565b5f60208284031215611b99575f5ffd5b8135610cbf81611aed565b80356001600160401b0381168114611bba575f5ffd5b919050565b5f5f60408385031215611bd0575f5ffd5b82359150611be060208401611ba4565b90509250929050565b5f5f5f60608486031215611bfb575f5ffd5b8335611c0681611aed565b925060208401359150611c1b60408501611ba4565b90509250925092565b5f5f60408385031215611c35575f5ffd5b8235611c4081611aed565b915060208301356001600160601b0381168114611c5b575f5ffd5b809150509250929050565b5f5f60408385031215611c77575f5ffd5b8235611c8281611aed565b915060208301358015158114611c5b575f5ffd5b634e487b7160e01b5f52604160045260245ffd5b5f5f5f5f60808587031215611cbd575f5ffd5b8435611cc881611aed565b93506020850135611cd881611aed565b92506040850135915060608501356001600160401b03811115611cf9575f5ffd5b8501601f81018713611d09575f5ffd5b80356001600160401b03811115611d2257611d22611c96565b604051601f8201601f19908116603f011681016001600160401b0381118282101715611d5057611d50611c96565b604052818152828201602001891015611d67575f5ffd5b816020840160208301375f6020838301015280935050505092959194509250565b5f5f5f60608486031215611d9a575f5ffd5b833592506020840135611dac81611aed565b9150611c1b60408501611ba4565b5f5f60408385031215611dcb575f5ffd5b8235611dd681611aed565b91506020830135611c5b81611aed565b600181811c90821680611dfa57607f821691505b602082108103611e1857634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52601260045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b5f6001600160401b03831680611e5e57611e5e611e1e565b806001600160401b0384160491505092915050565b808202811582820484141761069457610694611e32565b8082018082111561069457610694611e32565b5f81518060208401855e5f93019283525090919050565b5f610fa1611ec28386611e9d565b84611e9d565b5f6001600160401b03831680611ee057611ee0611e1e565b806001600160401b0384160691505092915050565b6001600160401b03818116838216019081111561069457610694611e32565b6001600160a01b03858116825284166020820152604081018390526080606082018190525f90611f4690830184611a96565b9695505050505050565b5f60208284031215611f60575f5ffd5b8151610cbf81611a6656fea2646970667358221220ce57f26ccb9e1fbdb0c4a045466de15f88040f97b1a10025f733c46f19a600a564736f6c63430008250033",
}

// StreamGatePassABI is the input ABI used to generate the binding from.
// Deprecated: Use StreamGatePassMetaData.ABI instead.
var StreamGatePassABI = StreamGatePassMetaData.ABI

// StreamGatePassBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use StreamGatePassMetaData.Bin instead.
var StreamGatePassBin = StreamGatePassMetaData.Bin

// DeployStreamGatePass deploys a new Ethereum contract, binding an instance of StreamGatePass to it.
func DeployStreamGatePass(auth *bind.TransactOpts, backend bind.ContractBackend, name string, symbol string, creator common.Address, period_ uint64, pricePerPeriod_ *big.Int, royaltyReceiver common.Address, royaltyBps *big.Int) (common.Address, *types.Transaction, *StreamGatePass, error) {
	parsed, err := StreamGatePassMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(StreamGatePassBin), backend, name, symbol, creator, period_, pricePerPeriod_, royaltyReceiver, royaltyBps)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &StreamGatePass{StreamGatePassCaller: StreamGatePassCaller{contract: contract}, StreamGatePassTransactor: StreamGatePassTransactor{contract: contract}, StreamGatePassFilterer: StreamGatePassFilterer{contract: contract}}, nil
}

// StreamGatePass is an auto generated Go binding around an Ethereum contract.
type StreamGatePass struct {
	StreamGatePassCaller     // Read-only binding to the contract
	StreamGatePassTransactor // Write-only binding to the contract
	StreamGatePassFilterer   // Log filterer for contract events
}

// StreamGatePassCaller is an auto generated read-only Go binding around an Ethereum contract.
type StreamGatePassCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// StreamGatePassTransactor is an auto generated write-only Go binding around an Ethereum contract.
type StreamGatePassTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// StreamGatePassFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type StreamGatePassFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// StreamGatePassSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type StreamGatePassSession struct {
	Contract     *StreamGatePass   // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// StreamGatePassCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type StreamGatePassCallerSession struct {
	Contract *StreamGatePassCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts         // Call options to use throughout this session
}

// StreamGatePassTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type StreamGatePassTransactorSession struct {
	Contract     *StreamGatePassTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts         // Transaction auth options to use throughout this session
}

// StreamGatePassRaw is an auto generated low-level Go binding around an Ethereum contract.
type StreamGatePassRaw struct {
	Contract *StreamGatePass // Generic contract binding to access the raw methods on
}

// StreamGatePassCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type StreamGatePassCallerRaw struct {
	Contract *StreamGatePassCaller // Generic read-only contract binding to access the raw methods on
}

// StreamGatePassTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type StreamGatePassTransactorRaw struct {
	Contract *StreamGatePassTransactor // Generic write-only contract binding to access the raw methods on
}

// NewStreamGatePass creates a new instance of StreamGatePass, bound to a specific deployed contract.
func NewStreamGatePass(address common.Address, backend bind.ContractBackend) (*StreamGatePass, error) {
	contract, err := bindStreamGatePass(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &StreamGatePass{StreamGatePassCaller: StreamGatePassCaller{contract: contract}, StreamGatePassTransactor: StreamGatePassTransactor{contract: contract}, StreamGatePassFilterer: StreamGatePassFilterer{contract: contract}}, nil
}

// NewStreamGatePassCaller creates a new read-only instance of StreamGatePass, bound to a specific deployed contract.
func NewStreamGatePassCaller(address common.Address, caller bind.ContractCaller) (*StreamGatePassCaller, error) {
	contract, err := bindStreamGatePass(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassCaller{contract: contract}, nil
}

// NewStreamGatePassTransactor creates a new write-only instance of StreamGatePass, bound to a specific deployed contract.
func NewStreamGatePassTransactor(address common.Address, transactor bind.ContractTransactor) (*StreamGatePassTransactor, error) {
	contract, err := bindStreamGatePass(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassTransactor{contract: contract}, nil
}

// NewStreamGatePassFilterer creates a new log filterer instance of StreamGatePass, bound to a specific deployed contract.
func NewStreamGatePassFilterer(address common.Address, filterer bind.ContractFilterer) (*StreamGatePassFilterer, error) {
	contract, err := bindStreamGatePass(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassFilterer{contract: contract}, nil
}

// bindStreamGatePass binds a generic wrapper to an already deployed contract.
func bindStreamGatePass(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := StreamGatePassMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_StreamGatePass *StreamGatePassRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _StreamGatePass.Contract.StreamGatePassCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_StreamGatePass *StreamGatePassRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _StreamGatePass.Contract.StreamGatePassTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_StreamGatePass *StreamGatePassRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _StreamGatePass.Contract.StreamGatePassTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_StreamGatePass *StreamGatePassCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _StreamGatePass.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_StreamGatePass *StreamGatePassTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _StreamGatePass.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_StreamGatePass *StreamGatePassTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _StreamGatePass.Contract.contract.Transact(opts, method, params...)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (_StreamGatePass *StreamGatePassCaller) BalanceOf(opts *bind.CallOpts, owner common.Address) (*big.Int, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "balanceOf", owner)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (_StreamGatePass *StreamGatePassSession) BalanceOf(owner common.Address) (*big.Int, error) {
	return _StreamGatePass.Contract.BalanceOf(&_StreamGatePass.CallOpts, owner)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (_StreamGatePass *StreamGatePassCallerSession) BalanceOf(owner common.Address) (*big.Int, error) {
	return _StreamGatePass.Contract.BalanceOf(&_StreamGatePass.CallOpts, owner)
}

// ExpiresAt is a free data retrieval call binding the contract method 0x17c95709.
//
// Solidity: function expiresAt(uint256 tokenId) view returns(uint64)
func (_StreamGatePass *StreamGatePassCaller) ExpiresAt(opts *bind.CallOpts, tokenId *big.Int) (uint64, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "expiresAt", tokenId)

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// ExpiresAt is a free data retrieval call binding the contract method 0x17c95709.
//
// Solidity: function expiresAt(uint256 tokenId) view returns(uint64)
func (_StreamGatePass *StreamGatePassSession) ExpiresAt(tokenId *big.Int) (uint64, error) {
	return _StreamGatePass.Contract.ExpiresAt(&_StreamGatePass.CallOpts, tokenId)
}

// ExpiresAt is a free data retrieval call binding the contract method 0x17c95709.
//
// Solidity: function expiresAt(uint256 tokenId) view returns(uint64)
func (_StreamGatePass *StreamGatePassCallerSession) ExpiresAt(tokenId *big.Int) (uint64, error) {
	return _StreamGatePass.Contract.ExpiresAt(&_StreamGatePass.CallOpts, tokenId)
}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCaller) GetApproved(opts *bind.CallOpts, tokenId *big.Int) (common.Address, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "getApproved", tokenId)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassSession) GetApproved(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.GetApproved(&_StreamGatePass.CallOpts, tokenId)
}

// GetApproved is a free data retrieval call binding the contract method 0x081812fc.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCallerSession) GetApproved(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.GetApproved(&_StreamGatePass.CallOpts, tokenId)
}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (_StreamGatePass *StreamGatePassCaller) IsApprovedForAll(opts *bind.CallOpts, owner common.Address, operator common.Address) (bool, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "isApprovedForAll", owner, operator)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (_StreamGatePass *StreamGatePassSession) IsApprovedForAll(owner common.Address, operator common.Address) (bool, error) {
	return _StreamGatePass.Contract.IsApprovedForAll(&_StreamGatePass.CallOpts, owner, operator)
}

// IsApprovedForAll is a free data retrieval call binding the contract method 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (_StreamGatePass *StreamGatePassCallerSession) IsApprovedForAll(owner common.Address, operator common.Address) (bool, error) {
	return _StreamGatePass.Contract.IsApprovedForAll(&_StreamGatePass.CallOpts, owner, operator)
}

// IsRenewable is a free data retrieval call binding the contract method 0xcde317af.
//
// Solidity: function isRenewable(uint256 tokenId) view returns(bool)
func (_StreamGatePass *StreamGatePassCaller) IsRenewable(opts *bind.CallOpts, tokenId *big.Int) (bool, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "isRenewable", tokenId)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsRenewable is a free data retrieval call binding the contract method 0xcde317af.
//
// Solidity: function isRenewable(uint256 tokenId) view returns(bool)
func (_StreamGatePass *StreamGatePassSession) IsRenewable(tokenId *big.Int) (bool, error) {
	return _StreamGatePass.Contract.IsRenewable(&_StreamGatePass.CallOpts, tokenId)
}

// IsRenewable is a free data retrieval call binding the contract method 0xcde317af.
//
// Solidity: function isRenewable(uint256 tokenId) view returns(bool)
func (_StreamGatePass *StreamGatePassCallerSession) IsRenewable(tokenId *big.Int) (bool, error) {
	return _StreamGatePass.Contract.IsRenewable(&_StreamGatePass.CallOpts, tokenId)
}

// Minter is a free data retrieval call binding the contract method 0x07546172.
//
// Solidity: function minter() view returns(address)
func (_StreamGatePass *StreamGatePassCaller) Minter(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "minter")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Minter is a free data retrieval call binding the contract method 0x07546172.
//
// Solidity: function minter() view returns(address)
func (_StreamGatePass *StreamGatePassSession) Minter() (common.Address, error) {
	return _StreamGatePass.Contract.Minter(&_StreamGatePass.CallOpts)
}

// Minter is a free data retrieval call binding the contract method 0x07546172.
//
// Solidity: function minter() view returns(address)
func (_StreamGatePass *StreamGatePassCallerSession) Minter() (common.Address, error) {
	return _StreamGatePass.Contract.Minter(&_StreamGatePass.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_StreamGatePass *StreamGatePassCaller) Name(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "name")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_StreamGatePass *StreamGatePassSession) Name() (string, error) {
	return _StreamGatePass.Contract.Name(&_StreamGatePass.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_StreamGatePass *StreamGatePassCallerSession) Name() (string, error) {
	return _StreamGatePass.Contract.Name(&_StreamGatePass.CallOpts)
}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_StreamGatePass *StreamGatePassCaller) Owner(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "owner")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_StreamGatePass *StreamGatePassSession) Owner() (common.Address, error) {
	return _StreamGatePass.Contract.Owner(&_StreamGatePass.CallOpts)
}

// Owner is a free data retrieval call binding the contract method 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (_StreamGatePass *StreamGatePassCallerSession) Owner() (common.Address, error) {
	return _StreamGatePass.Contract.Owner(&_StreamGatePass.CallOpts)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCaller) OwnerOf(opts *bind.CallOpts, tokenId *big.Int) (common.Address, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "ownerOf", tokenId)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassSession) OwnerOf(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.OwnerOf(&_StreamGatePass.CallOpts, tokenId)
}

// OwnerOf is a free data retrieval call binding the contract method 0x6352211e.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCallerSession) OwnerOf(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.OwnerOf(&_StreamGatePass.CallOpts, tokenId)
}

// Period is a free data retrieval call binding the contract method 0xef78d4fd.
//
// Solidity: function period() view returns(uint64)
func (_StreamGatePass *StreamGatePassCaller) Period(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "period")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// Period is a free data retrieval call binding the contract method 0xef78d4fd.
//
// Solidity: function period() view returns(uint64)
func (_StreamGatePass *StreamGatePassSession) Period() (uint64, error) {
	return _StreamGatePass.Contract.Period(&_StreamGatePass.CallOpts)
}

// Period is a free data retrieval call binding the contract method 0xef78d4fd.
//
// Solidity: function period() view returns(uint64)
func (_StreamGatePass *StreamGatePassCallerSession) Period() (uint64, error) {
	return _StreamGatePass.Contract.Period(&_StreamGatePass.CallOpts)
}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_StreamGatePass *StreamGatePassCaller) PricePerPeriod(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "pricePerPeriod")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_StreamGatePass *StreamGatePassSession) PricePerPeriod() (*big.Int, error) {
	return _StreamGatePass.Contract.PricePerPeriod(&_StreamGatePass.CallOpts)
}

// PricePerPeriod is a free data retrieval call binding the contract method 0xa4fe8a18.
//
// Solidity: function pricePerPeriod() view returns(uint256)
func (_StreamGatePass *StreamGatePassCallerSession) PricePerPeriod() (*big.Int, error) {
	return _StreamGatePass.Contract.PricePerPeriod(&_StreamGatePass.CallOpts)
}

// RoyaltyInfo is a free data retrieval call binding the contract method 0x2a55205a.
//
// Solidity: function royaltyInfo(uint256 tokenId, uint256 salePrice) view returns(address receiver, uint256 amount)
func (_StreamGatePass *StreamGatePassCaller) RoyaltyInfo(opts *bind.CallOpts, tokenId *big.Int, salePrice *big.Int) (struct {
	Receiver common.Address
	Amount   *big.Int
}, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "royaltyInfo", tokenId, salePrice)

	outstruct := new(struct {
		Receiver common.Address
		Amount   *big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Receiver = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Amount = *abi.ConvertType(out[1], new(*big.Int)).(**big.Int)

	return *outstruct, err

}

// RoyaltyInfo is a free data retrieval call binding the contract method 0x2a55205a.
//
// Solidity: function royaltyInfo(uint256 tokenId, uint256 salePrice) view returns(address receiver, uint256 amount)
func (_StreamGatePass *StreamGatePassSession) RoyaltyInfo(tokenId *big.Int, salePrice *big.Int) (struct {
	Receiver common.Address
	Amount   *big.Int
}, error) {
	return _StreamGatePass.Contract.RoyaltyInfo(&_StreamGatePass.CallOpts, tokenId, salePrice)
}

// RoyaltyInfo is a free data retrieval call binding the contract method 0x2a55205a.
//
// Solidity: function royaltyInfo(uint256 tokenId, uint256 salePrice) view returns(address receiver, uint256 amount)
func (_StreamGatePass *StreamGatePassCallerSession) RoyaltyInfo(tokenId *big.Int, salePrice *big.Int) (struct {
	Receiver common.Address
	Amount   *big.Int
}, error) {
	return _StreamGatePass.Contract.RoyaltyInfo(&_StreamGatePass.CallOpts, tokenId, salePrice)
}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_StreamGatePass *StreamGatePassCaller) SupportsInterface(opts *bind.CallOpts, interfaceId [4]byte) (bool, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "supportsInterface", interfaceId)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_StreamGatePass *StreamGatePassSession) SupportsInterface(interfaceId [4]byte) (bool, error) {
	return _StreamGatePass.Contract.SupportsInterface(&_StreamGatePass.CallOpts, interfaceId)
}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_StreamGatePass *StreamGatePassCallerSession) SupportsInterface(interfaceId [4]byte) (bool, error) {
	return _StreamGatePass.Contract.SupportsInterface(&_StreamGatePass.CallOpts, interfaceId)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_StreamGatePass *StreamGatePassCaller) Symbol(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "symbol")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_StreamGatePass *StreamGatePassSession) Symbol() (string, error) {
	return _StreamGatePass.Contract.Symbol(&_StreamGatePass.CallOpts)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_StreamGatePass *StreamGatePassCallerSession) Symbol() (string, error) {
	return _StreamGatePass.Contract.Symbol(&_StreamGatePass.CallOpts)
}

// TokenURI is a free data retrieval call binding the contract method 0xc87b56dd.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (_StreamGatePass *StreamGatePassCaller) TokenURI(opts *bind.CallOpts, tokenId *big.Int) (string, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "tokenURI", tokenId)

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// TokenURI is a free data retrieval call binding the contract method 0xc87b56dd.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (_StreamGatePass *StreamGatePassSession) TokenURI(tokenId *big.Int) (string, error) {
	return _StreamGatePass.Contract.TokenURI(&_StreamGatePass.CallOpts, tokenId)
}

// TokenURI is a free data retrieval call binding the contract method 0xc87b56dd.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (_StreamGatePass *StreamGatePassCallerSession) TokenURI(tokenId *big.Int) (string, error) {
	return _StreamGatePass.Contract.TokenURI(&_StreamGatePass.CallOpts, tokenId)
}

// UserExpires is a free data retrieval call binding the contract method 0x8fc88c48.
//
// Solidity: function userExpires(uint256 tokenId) view returns(uint256)
func (_StreamGatePass *StreamGatePassCaller) UserExpires(opts *bind.CallOpts, tokenId *big.Int) (*big.Int, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "userExpires", tokenId)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// UserExpires is a free data retrieval call binding the contract method 0x8fc88c48.
//
// Solidity: function userExpires(uint256 tokenId) view returns(uint256)
func (_StreamGatePass *StreamGatePassSession) UserExpires(tokenId *big.Int) (*big.Int, error) {
	return _StreamGatePass.Contract.UserExpires(&_StreamGatePass.CallOpts, tokenId)
}

// UserExpires is a free data retrieval call binding the contract method 0x8fc88c48.
//
// Solidity: function userExpires(uint256 tokenId) view returns(uint256)
func (_StreamGatePass *StreamGatePassCallerSession) UserExpires(tokenId *big.Int) (*big.Int, error) {
	return _StreamGatePass.Contract.UserExpires(&_StreamGatePass.CallOpts, tokenId)
}

// UserOf is a free data retrieval call binding the contract method 0xc2f1f14a.
//
// Solidity: function userOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCaller) UserOf(opts *bind.CallOpts, tokenId *big.Int) (common.Address, error) {
	var out []interface{}
	err := _StreamGatePass.contract.Call(opts, &out, "userOf", tokenId)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// UserOf is a free data retrieval call binding the contract method 0xc2f1f14a.
//
// Solidity: function userOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassSession) UserOf(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.UserOf(&_StreamGatePass.CallOpts, tokenId)
}

// UserOf is a free data retrieval call binding the contract method 0xc2f1f14a.
//
// Solidity: function userOf(uint256 tokenId) view returns(address)
func (_StreamGatePass *StreamGatePassCallerSession) UserOf(tokenId *big.Int) (common.Address, error) {
	return _StreamGatePass.Contract.UserOf(&_StreamGatePass.CallOpts, tokenId)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactor) Approve(opts *bind.TransactOpts, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "approve", to, tokenId)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassSession) Approve(to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Approve(&_StreamGatePass.TransactOpts, to, tokenId)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) Approve(to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Approve(&_StreamGatePass.TransactOpts, to, tokenId)
}

// Burn is a paid mutator transaction binding the contract method 0x42966c68.
//
// Solidity: function burn(uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactor) Burn(opts *bind.TransactOpts, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "burn", tokenId)
}

// Burn is a paid mutator transaction binding the contract method 0x42966c68.
//
// Solidity: function burn(uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassSession) Burn(tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Burn(&_StreamGatePass.TransactOpts, tokenId)
}

// Burn is a paid mutator transaction binding the contract method 0x42966c68.
//
// Solidity: function burn(uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) Burn(tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Burn(&_StreamGatePass.TransactOpts, tokenId)
}

// CancelSubscription is a paid mutator transaction binding the contract method 0x21235083.
//
// Solidity: function cancelSubscription(uint256 tokenId) payable returns()
func (_StreamGatePass *StreamGatePassTransactor) CancelSubscription(opts *bind.TransactOpts, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "cancelSubscription", tokenId)
}

// CancelSubscription is a paid mutator transaction binding the contract method 0x21235083.
//
// Solidity: function cancelSubscription(uint256 tokenId) payable returns()
func (_StreamGatePass *StreamGatePassSession) CancelSubscription(tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.CancelSubscription(&_StreamGatePass.TransactOpts, tokenId)
}

// CancelSubscription is a paid mutator transaction binding the contract method 0x21235083.
//
// Solidity: function cancelSubscription(uint256 tokenId) payable returns()
func (_StreamGatePass *StreamGatePassTransactorSession) CancelSubscription(tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.CancelSubscription(&_StreamGatePass.TransactOpts, tokenId)
}

// Mint is a paid mutator transaction binding the contract method 0x8b3d35ae.
//
// Solidity: function mint(address to, uint256 tokenId, uint64 duration) returns()
func (_StreamGatePass *StreamGatePassTransactor) Mint(opts *bind.TransactOpts, to common.Address, tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "mint", to, tokenId, duration)
}

// Mint is a paid mutator transaction binding the contract method 0x8b3d35ae.
//
// Solidity: function mint(address to, uint256 tokenId, uint64 duration) returns()
func (_StreamGatePass *StreamGatePassSession) Mint(to common.Address, tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Mint(&_StreamGatePass.TransactOpts, to, tokenId, duration)
}

// Mint is a paid mutator transaction binding the contract method 0x8b3d35ae.
//
// Solidity: function mint(address to, uint256 tokenId, uint64 duration) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) Mint(to common.Address, tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Mint(&_StreamGatePass.TransactOpts, to, tokenId, duration)
}

// RenewSubscription is a paid mutator transaction binding the contract method 0x776ce868.
//
// Solidity: function renewSubscription(uint256 tokenId, uint64 duration) payable returns()
func (_StreamGatePass *StreamGatePassTransactor) RenewSubscription(opts *bind.TransactOpts, tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "renewSubscription", tokenId, duration)
}

// RenewSubscription is a paid mutator transaction binding the contract method 0x776ce868.
//
// Solidity: function renewSubscription(uint256 tokenId, uint64 duration) payable returns()
func (_StreamGatePass *StreamGatePassSession) RenewSubscription(tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.RenewSubscription(&_StreamGatePass.TransactOpts, tokenId, duration)
}

// RenewSubscription is a paid mutator transaction binding the contract method 0x776ce868.
//
// Solidity: function renewSubscription(uint256 tokenId, uint64 duration) payable returns()
func (_StreamGatePass *StreamGatePassTransactorSession) RenewSubscription(tokenId *big.Int, duration uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.RenewSubscription(&_StreamGatePass.TransactOpts, tokenId, duration)
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_StreamGatePass *StreamGatePassTransactor) RenounceOwnership(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "renounceOwnership")
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_StreamGatePass *StreamGatePassSession) RenounceOwnership() (*types.Transaction, error) {
	return _StreamGatePass.Contract.RenounceOwnership(&_StreamGatePass.TransactOpts)
}

// RenounceOwnership is a paid mutator transaction binding the contract method 0x715018a6.
//
// Solidity: function renounceOwnership() returns()
func (_StreamGatePass *StreamGatePassTransactorSession) RenounceOwnership() (*types.Transaction, error) {
	return _StreamGatePass.Contract.RenounceOwnership(&_StreamGatePass.TransactOpts)
}

// SafeTransferFrom is a paid mutator transaction binding the contract method 0x42842e0e.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactor) SafeTransferFrom(opts *bind.TransactOpts, from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "safeTransferFrom", from, to, tokenId)
}

// SafeTransferFrom is a paid mutator transaction binding the contract method 0x42842e0e.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassSession) SafeTransferFrom(from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SafeTransferFrom(&_StreamGatePass.TransactOpts, from, to, tokenId)
}

// SafeTransferFrom is a paid mutator transaction binding the contract method 0x42842e0e.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SafeTransferFrom(from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SafeTransferFrom(&_StreamGatePass.TransactOpts, from, to, tokenId)
}

// SafeTransferFrom0 is a paid mutator transaction binding the contract method 0xb88d4fde.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId, bytes data) returns()
func (_StreamGatePass *StreamGatePassTransactor) SafeTransferFrom0(opts *bind.TransactOpts, from common.Address, to common.Address, tokenId *big.Int, data []byte) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "safeTransferFrom0", from, to, tokenId, data)
}

// SafeTransferFrom0 is a paid mutator transaction binding the contract method 0xb88d4fde.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId, bytes data) returns()
func (_StreamGatePass *StreamGatePassSession) SafeTransferFrom0(from common.Address, to common.Address, tokenId *big.Int, data []byte) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SafeTransferFrom0(&_StreamGatePass.TransactOpts, from, to, tokenId, data)
}

// SafeTransferFrom0 is a paid mutator transaction binding the contract method 0xb88d4fde.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId, bytes data) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SafeTransferFrom0(from common.Address, to common.Address, tokenId *big.Int, data []byte) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SafeTransferFrom0(&_StreamGatePass.TransactOpts, from, to, tokenId, data)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0xa22cb465.
//
// Solidity: function setApprovalForAll(address operator, bool approved) returns()
func (_StreamGatePass *StreamGatePassTransactor) SetApprovalForAll(opts *bind.TransactOpts, operator common.Address, approved bool) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "setApprovalForAll", operator, approved)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0xa22cb465.
//
// Solidity: function setApprovalForAll(address operator, bool approved) returns()
func (_StreamGatePass *StreamGatePassSession) SetApprovalForAll(operator common.Address, approved bool) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetApprovalForAll(&_StreamGatePass.TransactOpts, operator, approved)
}

// SetApprovalForAll is a paid mutator transaction binding the contract method 0xa22cb465.
//
// Solidity: function setApprovalForAll(address operator, bool approved) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SetApprovalForAll(operator common.Address, approved bool) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetApprovalForAll(&_StreamGatePass.TransactOpts, operator, approved)
}

// SetMinter is a paid mutator transaction binding the contract method 0xfca3b5aa.
//
// Solidity: function setMinter(address minter_) returns()
func (_StreamGatePass *StreamGatePassTransactor) SetMinter(opts *bind.TransactOpts, minter_ common.Address) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "setMinter", minter_)
}

// SetMinter is a paid mutator transaction binding the contract method 0xfca3b5aa.
//
// Solidity: function setMinter(address minter_) returns()
func (_StreamGatePass *StreamGatePassSession) SetMinter(minter_ common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetMinter(&_StreamGatePass.TransactOpts, minter_)
}

// SetMinter is a paid mutator transaction binding the contract method 0xfca3b5aa.
//
// Solidity: function setMinter(address minter_) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SetMinter(minter_ common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetMinter(&_StreamGatePass.TransactOpts, minter_)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_StreamGatePass *StreamGatePassTransactor) SetPrice(opts *bind.TransactOpts, pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "setPrice", pricePerPeriod_)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_StreamGatePass *StreamGatePassSession) SetPrice(pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetPrice(&_StreamGatePass.TransactOpts, pricePerPeriod_)
}

// SetPrice is a paid mutator transaction binding the contract method 0x91b7f5ed.
//
// Solidity: function setPrice(uint256 pricePerPeriod_) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SetPrice(pricePerPeriod_ *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetPrice(&_StreamGatePass.TransactOpts, pricePerPeriod_)
}

// SetRoyalty is a paid mutator transaction binding the contract method 0x8f2fc60b.
//
// Solidity: function setRoyalty(address receiver, uint96 bps) returns()
func (_StreamGatePass *StreamGatePassTransactor) SetRoyalty(opts *bind.TransactOpts, receiver common.Address, bps *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "setRoyalty", receiver, bps)
}

// SetRoyalty is a paid mutator transaction binding the contract method 0x8f2fc60b.
//
// Solidity: function setRoyalty(address receiver, uint96 bps) returns()
func (_StreamGatePass *StreamGatePassSession) SetRoyalty(receiver common.Address, bps *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetRoyalty(&_StreamGatePass.TransactOpts, receiver, bps)
}

// SetRoyalty is a paid mutator transaction binding the contract method 0x8f2fc60b.
//
// Solidity: function setRoyalty(address receiver, uint96 bps) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SetRoyalty(receiver common.Address, bps *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetRoyalty(&_StreamGatePass.TransactOpts, receiver, bps)
}

// SetUser is a paid mutator transaction binding the contract method 0xe030565e.
//
// Solidity: function setUser(uint256 tokenId, address user, uint64 expires) returns()
func (_StreamGatePass *StreamGatePassTransactor) SetUser(opts *bind.TransactOpts, tokenId *big.Int, user common.Address, expires uint64) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "setUser", tokenId, user, expires)
}

// SetUser is a paid mutator transaction binding the contract method 0xe030565e.
//
// Solidity: function setUser(uint256 tokenId, address user, uint64 expires) returns()
func (_StreamGatePass *StreamGatePassSession) SetUser(tokenId *big.Int, user common.Address, expires uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetUser(&_StreamGatePass.TransactOpts, tokenId, user, expires)
}

// SetUser is a paid mutator transaction binding the contract method 0xe030565e.
//
// Solidity: function setUser(uint256 tokenId, address user, uint64 expires) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) SetUser(tokenId *big.Int, user common.Address, expires uint64) (*types.Transaction, error) {
	return _StreamGatePass.Contract.SetUser(&_StreamGatePass.TransactOpts, tokenId, user, expires)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactor) TransferFrom(opts *bind.TransactOpts, from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "transferFrom", from, to, tokenId)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassSession) TransferFrom(from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.TransferFrom(&_StreamGatePass.TransactOpts, from, to, tokenId)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 tokenId) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) TransferFrom(from common.Address, to common.Address, tokenId *big.Int) (*types.Transaction, error) {
	return _StreamGatePass.Contract.TransferFrom(&_StreamGatePass.TransactOpts, from, to, tokenId)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_StreamGatePass *StreamGatePassTransactor) TransferOwnership(opts *bind.TransactOpts, newOwner common.Address) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "transferOwnership", newOwner)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_StreamGatePass *StreamGatePassSession) TransferOwnership(newOwner common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.TransferOwnership(&_StreamGatePass.TransactOpts, newOwner)
}

// TransferOwnership is a paid mutator transaction binding the contract method 0xf2fde38b.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) TransferOwnership(newOwner common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.TransferOwnership(&_StreamGatePass.TransactOpts, newOwner)
}

// Withdraw is a paid mutator transaction binding the contract method 0x51cff8d9.
//
// Solidity: function withdraw(address to) returns()
func (_StreamGatePass *StreamGatePassTransactor) Withdraw(opts *bind.TransactOpts, to common.Address) (*types.Transaction, error) {
	return _StreamGatePass.contract.Transact(opts, "withdraw", to)
}

// Withdraw is a paid mutator transaction binding the contract method 0x51cff8d9.
//
// Solidity: function withdraw(address to) returns()
func (_StreamGatePass *StreamGatePassSession) Withdraw(to common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Withdraw(&_StreamGatePass.TransactOpts, to)
}

// Withdraw is a paid mutator transaction binding the contract method 0x51cff8d9.
//
// Solidity: function withdraw(address to) returns()
func (_StreamGatePass *StreamGatePassTransactorSession) Withdraw(to common.Address) (*types.Transaction, error) {
	return _StreamGatePass.Contract.Withdraw(&_StreamGatePass.TransactOpts, to)
}

// StreamGatePassApprovalIterator is returned from FilterApproval and is used to iterate over the raw logs and unpacked data for Approval events raised by the StreamGatePass contract.
type StreamGatePassApprovalIterator struct {
	Event *StreamGatePassApproval // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassApprovalIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassApproval)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassApproval)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassApprovalIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassApprovalIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassApproval represents a Approval event raised by the StreamGatePass contract.
type StreamGatePassApproval struct {
	Owner    common.Address
	Approved common.Address
	TokenId  *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterApproval is a free log retrieval operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) FilterApproval(opts *bind.FilterOpts, owner []common.Address, approved []common.Address, tokenId []*big.Int) (*StreamGatePassApprovalIterator, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var approvedRule []interface{}
	for _, approvedItem := range approved {
		approvedRule = append(approvedRule, approvedItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "Approval", ownerRule, approvedRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassApprovalIterator{contract: _StreamGatePass.contract, event: "Approval", logs: logs, sub: sub}, nil
}

// WatchApproval is a free log subscription operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) WatchApproval(opts *bind.WatchOpts, sink chan<- *StreamGatePassApproval, owner []common.Address, approved []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var approvedRule []interface{}
	for _, approvedItem := range approved {
		approvedRule = append(approvedRule, approvedItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "Approval", ownerRule, approvedRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassApproval)
				if err := _StreamGatePass.contract.UnpackLog(event, "Approval", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseApproval is a log parse operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) ParseApproval(log types.Log) (*StreamGatePassApproval, error) {
	event := new(StreamGatePassApproval)
	if err := _StreamGatePass.contract.UnpackLog(event, "Approval", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassApprovalForAllIterator is returned from FilterApprovalForAll and is used to iterate over the raw logs and unpacked data for ApprovalForAll events raised by the StreamGatePass contract.
type StreamGatePassApprovalForAllIterator struct {
	Event *StreamGatePassApprovalForAll // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassApprovalForAllIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassApprovalForAll)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassApprovalForAll)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassApprovalForAllIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassApprovalForAllIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassApprovalForAll represents a ApprovalForAll event raised by the StreamGatePass contract.
type StreamGatePassApprovalForAll struct {
	Owner    common.Address
	Operator common.Address
	Approved bool
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterApprovalForAll is a free log retrieval operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_StreamGatePass *StreamGatePassFilterer) FilterApprovalForAll(opts *bind.FilterOpts, owner []common.Address, operator []common.Address) (*StreamGatePassApprovalForAllIterator, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "ApprovalForAll", ownerRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassApprovalForAllIterator{contract: _StreamGatePass.contract, event: "ApprovalForAll", logs: logs, sub: sub}, nil
}

// WatchApprovalForAll is a free log subscription operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_StreamGatePass *StreamGatePassFilterer) WatchApprovalForAll(opts *bind.WatchOpts, sink chan<- *StreamGatePassApprovalForAll, owner []common.Address, operator []common.Address) (event.Subscription, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "ApprovalForAll", ownerRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassApprovalForAll)
				if err := _StreamGatePass.contract.UnpackLog(event, "ApprovalForAll", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseApprovalForAll is a log parse operation binding the contract event 0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (_StreamGatePass *StreamGatePassFilterer) ParseApprovalForAll(log types.Log) (*StreamGatePassApprovalForAll, error) {
	event := new(StreamGatePassApprovalForAll)
	if err := _StreamGatePass.contract.UnpackLog(event, "ApprovalForAll", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassMinterSetIterator is returned from FilterMinterSet and is used to iterate over the raw logs and unpacked data for MinterSet events raised by the StreamGatePass contract.
type StreamGatePassMinterSetIterator struct {
	Event *StreamGatePassMinterSet // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassMinterSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassMinterSet)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassMinterSet)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassMinterSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassMinterSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassMinterSet represents a MinterSet event raised by the StreamGatePass contract.
type StreamGatePassMinterSet struct {
	Minter common.Address
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterMinterSet is a free log retrieval operation binding the contract event 0x726b590ef91a8c76ad05bbe91a57ef84605276528f49cd47d787f558a4e755b6.
//
// Solidity: event MinterSet(address minter)
func (_StreamGatePass *StreamGatePassFilterer) FilterMinterSet(opts *bind.FilterOpts) (*StreamGatePassMinterSetIterator, error) {

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "MinterSet")
	if err != nil {
		return nil, err
	}
	return &StreamGatePassMinterSetIterator{contract: _StreamGatePass.contract, event: "MinterSet", logs: logs, sub: sub}, nil
}

// WatchMinterSet is a free log subscription operation binding the contract event 0x726b590ef91a8c76ad05bbe91a57ef84605276528f49cd47d787f558a4e755b6.
//
// Solidity: event MinterSet(address minter)
func (_StreamGatePass *StreamGatePassFilterer) WatchMinterSet(opts *bind.WatchOpts, sink chan<- *StreamGatePassMinterSet) (event.Subscription, error) {

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "MinterSet")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassMinterSet)
				if err := _StreamGatePass.contract.UnpackLog(event, "MinterSet", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseMinterSet is a log parse operation binding the contract event 0x726b590ef91a8c76ad05bbe91a57ef84605276528f49cd47d787f558a4e755b6.
//
// Solidity: event MinterSet(address minter)
func (_StreamGatePass *StreamGatePassFilterer) ParseMinterSet(log types.Log) (*StreamGatePassMinterSet, error) {
	event := new(StreamGatePassMinterSet)
	if err := _StreamGatePass.contract.UnpackLog(event, "MinterSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassOwnershipTransferredIterator is returned from FilterOwnershipTransferred and is used to iterate over the raw logs and unpacked data for OwnershipTransferred events raised by the StreamGatePass contract.
type StreamGatePassOwnershipTransferredIterator struct {
	Event *StreamGatePassOwnershipTransferred // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassOwnershipTransferredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassOwnershipTransferred)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassOwnershipTransferred)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassOwnershipTransferredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassOwnershipTransferredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassOwnershipTransferred represents a OwnershipTransferred event raised by the StreamGatePass contract.
type StreamGatePassOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           types.Log // Blockchain specific contextual infos
}

// FilterOwnershipTransferred is a free log retrieval operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_StreamGatePass *StreamGatePassFilterer) FilterOwnershipTransferred(opts *bind.FilterOpts, previousOwner []common.Address, newOwner []common.Address) (*StreamGatePassOwnershipTransferredIterator, error) {

	var previousOwnerRule []interface{}
	for _, previousOwnerItem := range previousOwner {
		previousOwnerRule = append(previousOwnerRule, previousOwnerItem)
	}
	var newOwnerRule []interface{}
	for _, newOwnerItem := range newOwner {
		newOwnerRule = append(newOwnerRule, newOwnerItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "OwnershipTransferred", previousOwnerRule, newOwnerRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassOwnershipTransferredIterator{contract: _StreamGatePass.contract, event: "OwnershipTransferred", logs: logs, sub: sub}, nil
}

// WatchOwnershipTransferred is a free log subscription operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_StreamGatePass *StreamGatePassFilterer) WatchOwnershipTransferred(opts *bind.WatchOpts, sink chan<- *StreamGatePassOwnershipTransferred, previousOwner []common.Address, newOwner []common.Address) (event.Subscription, error) {

	var previousOwnerRule []interface{}
	for _, previousOwnerItem := range previousOwner {
		previousOwnerRule = append(previousOwnerRule, previousOwnerItem)
	}
	var newOwnerRule []interface{}
	for _, newOwnerItem := range newOwner {
		newOwnerRule = append(newOwnerRule, newOwnerItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "OwnershipTransferred", previousOwnerRule, newOwnerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassOwnershipTransferred)
				if err := _StreamGatePass.contract.UnpackLog(event, "OwnershipTransferred", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOwnershipTransferred is a log parse operation binding the contract event 0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (_StreamGatePass *StreamGatePassFilterer) ParseOwnershipTransferred(log types.Log) (*StreamGatePassOwnershipTransferred, error) {
	event := new(StreamGatePassOwnershipTransferred)
	if err := _StreamGatePass.contract.UnpackLog(event, "OwnershipTransferred", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassPriceSetIterator is returned from FilterPriceSet and is used to iterate over the raw logs and unpacked data for PriceSet events raised by the StreamGatePass contract.
type StreamGatePassPriceSetIterator struct {
	Event *StreamGatePassPriceSet // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassPriceSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassPriceSet)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassPriceSet)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassPriceSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassPriceSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassPriceSet represents a PriceSet event raised by the StreamGatePass contract.
type StreamGatePassPriceSet struct {
	PricePerPeriod *big.Int
	Raw            types.Log // Blockchain specific contextual infos
}

// FilterPriceSet is a free log retrieval operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_StreamGatePass *StreamGatePassFilterer) FilterPriceSet(opts *bind.FilterOpts) (*StreamGatePassPriceSetIterator, error) {

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "PriceSet")
	if err != nil {
		return nil, err
	}
	return &StreamGatePassPriceSetIterator{contract: _StreamGatePass.contract, event: "PriceSet", logs: logs, sub: sub}, nil
}

// WatchPriceSet is a free log subscription operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_StreamGatePass *StreamGatePassFilterer) WatchPriceSet(opts *bind.WatchOpts, sink chan<- *StreamGatePassPriceSet) (event.Subscription, error) {

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "PriceSet")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassPriceSet)
				if err := _StreamGatePass.contract.UnpackLog(event, "PriceSet", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParsePriceSet is a log parse operation binding the contract event 0x6bfd5e75539a9d2626425a2e2922675256b219fe546d63dad56011759b9a2f66.
//
// Solidity: event PriceSet(uint256 pricePerPeriod)
func (_StreamGatePass *StreamGatePassFilterer) ParsePriceSet(log types.Log) (*StreamGatePassPriceSet, error) {
	event := new(StreamGatePassPriceSet)
	if err := _StreamGatePass.contract.UnpackLog(event, "PriceSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassSubscriptionUpdateIterator is returned from FilterSubscriptionUpdate and is used to iterate over the raw logs and unpacked data for SubscriptionUpdate events raised by the StreamGatePass contract.
type StreamGatePassSubscriptionUpdateIterator struct {
	Event *StreamGatePassSubscriptionUpdate // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassSubscriptionUpdateIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassSubscriptionUpdate)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassSubscriptionUpdate)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassSubscriptionUpdateIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassSubscriptionUpdateIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassSubscriptionUpdate represents a SubscriptionUpdate event raised by the StreamGatePass contract.
type StreamGatePassSubscriptionUpdate struct {
	TokenId    *big.Int
	Expiration uint64
	Raw        types.Log // Blockchain specific contextual infos
}

// FilterSubscriptionUpdate is a free log retrieval operation binding the contract event 0x2ec2be2c4b90c2cf13ecb6751a24daed6bb741ae5ed3f7371aabf9402f6d62e8.
//
// Solidity: event SubscriptionUpdate(uint256 indexed tokenId, uint64 expiration)
func (_StreamGatePass *StreamGatePassFilterer) FilterSubscriptionUpdate(opts *bind.FilterOpts, tokenId []*big.Int) (*StreamGatePassSubscriptionUpdateIterator, error) {

	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "SubscriptionUpdate", tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassSubscriptionUpdateIterator{contract: _StreamGatePass.contract, event: "SubscriptionUpdate", logs: logs, sub: sub}, nil
}

// WatchSubscriptionUpdate is a free log subscription operation binding the contract event 0x2ec2be2c4b90c2cf13ecb6751a24daed6bb741ae5ed3f7371aabf9402f6d62e8.
//
// Solidity: event SubscriptionUpdate(uint256 indexed tokenId, uint64 expiration)
func (_StreamGatePass *StreamGatePassFilterer) WatchSubscriptionUpdate(opts *bind.WatchOpts, sink chan<- *StreamGatePassSubscriptionUpdate, tokenId []*big.Int) (event.Subscription, error) {

	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "SubscriptionUpdate", tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassSubscriptionUpdate)
				if err := _StreamGatePass.contract.UnpackLog(event, "SubscriptionUpdate", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSubscriptionUpdate is a log parse operation binding the contract event 0x2ec2be2c4b90c2cf13ecb6751a24daed6bb741ae5ed3f7371aabf9402f6d62e8.
//
// Solidity: event SubscriptionUpdate(uint256 indexed tokenId, uint64 expiration)
func (_StreamGatePass *StreamGatePassFilterer) ParseSubscriptionUpdate(log types.Log) (*StreamGatePassSubscriptionUpdate, error) {
	event := new(StreamGatePassSubscriptionUpdate)
	if err := _StreamGatePass.contract.UnpackLog(event, "SubscriptionUpdate", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassTransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the StreamGatePass contract.
type StreamGatePassTransferIterator struct {
	Event *StreamGatePassTransfer // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassTransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassTransfer)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassTransfer)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassTransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassTransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassTransfer represents a Transfer event raised by the StreamGatePass contract.
type StreamGatePassTransfer struct {
	From    common.Address
	To      common.Address
	TokenId *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address, tokenId []*big.Int) (*StreamGatePassTransferIterator, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassTransferIterator{contract: _StreamGatePass.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *StreamGatePassTransfer, from []common.Address, to []common.Address, tokenId []*big.Int) (event.Subscription, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}
	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "Transfer", fromRule, toRule, tokenIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassTransfer)
				if err := _StreamGatePass.contract.UnpackLog(event, "Transfer", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseTransfer is a log parse operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (_StreamGatePass *StreamGatePassFilterer) ParseTransfer(log types.Log) (*StreamGatePassTransfer, error) {
	event := new(StreamGatePassTransfer)
	if err := _StreamGatePass.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// StreamGatePassUpdateUserIterator is returned from FilterUpdateUser and is used to iterate over the raw logs and unpacked data for UpdateUser events raised by the StreamGatePass contract.
type StreamGatePassUpdateUserIterator struct {
	Event *StreamGatePassUpdateUser // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *StreamGatePassUpdateUserIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(StreamGatePassUpdateUser)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(StreamGatePassUpdateUser)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *StreamGatePassUpdateUserIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *StreamGatePassUpdateUserIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// StreamGatePassUpdateUser represents a UpdateUser event raised by the StreamGatePass contract.
type StreamGatePassUpdateUser struct {
	TokenId *big.Int
	User    common.Address
	Expires uint64
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterUpdateUser is a free log retrieval operation binding the contract event 0x4e06b4e7000e659094299b3533b47b6aa8ad048e95e872d23d1f4ee55af89cfe.
//
// Solidity: event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires)
func (_StreamGatePass *StreamGatePassFilterer) FilterUpdateUser(opts *bind.FilterOpts, tokenId []*big.Int, user []common.Address) (*StreamGatePassUpdateUserIterator, error) {

	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}
	var userRule []interface{}
	for _, userItem := range user {
		userRule = append(userRule, userItem)
	}

	logs, sub, err := _StreamGatePass.contract.FilterLogs(opts, "UpdateUser", tokenIdRule, userRule)
	if err != nil {
		return nil, err
	}
	return &StreamGatePassUpdateUserIterator{contract: _StreamGatePass.contract, event: "UpdateUser", logs: logs, sub: sub}, nil
}

// WatchUpdateUser is a free log subscription operation binding the contract event 0x4e06b4e7000e659094299b3533b47b6aa8ad048e95e872d23d1f4ee55af89cfe.
//
// Solidity: event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires)
func (_StreamGatePass *StreamGatePassFilterer) WatchUpdateUser(opts *bind.WatchOpts, sink chan<- *StreamGatePassUpdateUser, tokenId []*big.Int, user []common.Address) (event.Subscription, error) {

	var tokenIdRule []interface{}
	for _, tokenIdItem := range tokenId {
		tokenIdRule = append(tokenIdRule, tokenIdItem)
	}
	var userRule []interface{}
	for _, userItem := range user {
		userRule = append(userRule, userItem)
	}

	logs, sub, err := _StreamGatePass.contract.WatchLogs(opts, "UpdateUser", tokenIdRule, userRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(StreamGatePassUpdateUser)
				if err := _StreamGatePass.contract.UnpackLog(event, "UpdateUser", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUpdateUser is a log parse operation binding the contract event 0x4e06b4e7000e659094299b3533b47b6aa8ad048e95e872d23d1f4ee55af89cfe.
//
// Solidity: event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires)
func (_StreamGatePass *StreamGatePassFilterer) ParseUpdateUser(log types.Log) (*StreamGatePassUpdateUser, error) {
	event := new(StreamGatePassUpdateUser)
	if err := _StreamGatePass.contract.UnpackLog(event, "UpdateUser", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
