// Command abigen writes Go bindings for compiled contracts with
// go-ethereum's own generator (accounts/abi/abigen, what its abigen command
// runs), from the JSON files hack/chain/compile.mjs writes.
//
//	go run ./hack/abigen -pkg passes -out internal/chain/passes/bindings.go contracts/build/A.json ...
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

type artifact struct {
	Contract string          `json:"contract"`
	ABI      json.RawMessage `json:"abi"`
	Bytecode string          `json:"bytecode"`
}

func main() {
	pkg := flag.String("pkg", "", "Go package of the bindings")
	out := flag.String("out", "", "file to write")
	flag.Parse()
	var types, abis, bytecodes []string
	var sigs []map[string]string
	for _, file := range flag.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			fail(err)
		}
		var a artifact
		if err := json.Unmarshal(data, &a); err != nil {
			fail(fmt.Errorf("%s: %w", file, err))
		}
		types, abis, bytecodes = append(types, a.Contract), append(abis, string(a.ABI)), append(bytecodes, a.Bytecode)
		sigs = append(sigs, nil)
	}
	code, err := abigen.Bind(types, abis, bytecodes, sigs, *pkg, nil, nil)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, []byte(code), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "abigen:", err)
	os.Exit(1)
}
