// Package testhealth evaluates the health checks StreamGate ships for
// GitOps tools, the way those tools do: Argo CD's Lua scripts with
// gopher-lua (the engine Argo CD embeds), Flux's healthCheckExprs with
// cel-go, and kstatus. It is used by tests only.
package testhealth

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/cel-go/cel"
	"github.com/streamgate-io/streamgate/internal/repo"
	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

// ArgoDir is where a kind's health.lua, health_test.yaml and testdata live,
// in the layout of Argo CD's resource_customizations.
func ArgoDir(kind string) string {
	return filepath.Join(repo.Root(), "config", "argocd", "streamgate.io", kind)
}

// ArgoHealth runs a kind's health.lua on an object.
func ArgoHealth(kind string, obj map[string]any) (status, message string, err error) {
	script, err := os.ReadFile(filepath.Join(ArgoDir(kind), "health.lua"))
	if err != nil {
		return "", "", err
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer L.Close()
	L.SetGlobal("obj", toLua(L, obj))
	fn, err := L.LoadString(string(script))
	if err != nil {
		return "", "", fmt.Errorf("load health.lua of %s: %w", kind, err)
	}
	L.Push(fn)
	if err := L.PCall(0, 1, nil); err != nil {
		return "", "", fmt.Errorf("run health.lua of %s: %w", kind, err)
	}
	result, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("health.lua of %s returned %s, not a table", kind, L.Get(-1).Type())
	}
	return result.RawGetString("status").String(), result.RawGetString("message").String(), nil
}

func toLua(L *lua.LState, v any) lua.LValue {
	switch t := v.(type) {
	case map[string]any:
		table := L.NewTable()
		for k, val := range t {
			table.RawSetString(k, toLua(L, val))
		}
		return table
	case []any:
		table := L.NewTable()
		for _, val := range t {
			table.Append(toLua(L, val))
		}
		return table
	case string:
		return lua.LString(t)
	case bool:
		return lua.LBool(t)
	case int64:
		return lua.LNumber(t)
	case float64:
		return lua.LNumber(t)
	case nil:
		return lua.LNil
	default:
		return lua.LString(fmt.Sprint(t))
	}
}

// FluxCheck is one healthCheckExprs entry.
type FluxCheck struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	InProgress string `json:"inProgress"`
	Failed     string `json:"failed"`
	Current    string `json:"current"`
}

// FluxChecks reads config/flux/health-checks.yaml.
func FluxChecks() (map[string]FluxCheck, error) {
	data, err := os.ReadFile(filepath.Join(repo.Root(), "config", "flux", "health-checks.yaml"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Spec struct {
			HealthCheckExprs []FluxCheck `json:"healthCheckExprs"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	out := map[string]FluxCheck{}
	for _, c := range doc.Spec.HealthCheckExprs {
		out[c.Kind] = c
	}
	return out, nil
}

// FluxHealth evaluates a kind's expressions in Flux's order (inProgress,
// failed, current) and names the first that holds, or "Unknown".
func FluxHealth(check FluxCheck, obj map[string]any) (string, error) {
	env, err := cel.NewEnv(cel.Variable("metadata", cel.DynType), cel.Variable("spec", cel.DynType), cel.Variable("status", cel.DynType))
	if err != nil {
		return "", err
	}
	vars := map[string]any{"metadata": obj["metadata"], "spec": obj["spec"], "status": obj["status"]}
	for _, e := range []struct{ name, expr string }{{"InProgress", check.InProgress}, {"Failed", check.Failed}, {"Current", check.Current}} {
		if e.expr == "" {
			continue
		}
		ast, iss := env.Compile(e.expr)
		if iss.Err() != nil {
			return "", fmt.Errorf("compile %s of %s: %w", e.name, check.Kind, iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			return "", err
		}
		out, _, err := prg.Eval(vars)
		if err != nil {
			continue // Flux treats an evaluation error as "does not hold"
		}
		if b, ok := out.Value().(bool); ok && b {
			return e.name, nil
		}
	}
	return "Unknown", nil
}

// KStatus computes the kstatus of an object.
func KStatus(obj map[string]any) (string, error) {
	res, err := status.Compute(&unstructured.Unstructured{Object: obj})
	if err != nil {
		return "", err
	}
	return res.Status.String(), nil
}
