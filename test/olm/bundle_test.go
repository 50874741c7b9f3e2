// Package olm_test validates the OLM bundle (make bundle) with the
// validators of operator-framework/api, as operator-sdk bundle validate does.
package olm_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/operator-framework/api/pkg/manifests"
	operatorsv1alpha1 "github.com/operator-framework/api/pkg/operators/v1alpha1"
	"github.com/operator-framework/api/pkg/validation"
	"github.com/operator-framework/api/pkg/validation/errors"
	"github.com/streamgate-io/streamgate/internal/repo"
)

func TestBundleIsValid(t *testing.T) {
	dir := filepath.Join(repo.Root(), "bundle")
	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil {
		t.Fatalf("load the bundle (run make bundle): %v", err)
	}
	validators := append(validation.DefaultBundleValidators, validation.GoodPracticesValidator, validation.AlphaDeprecatedAPIsValidator,
		validation.ObjectValidator)
	for _, result := range validators.Validate(bundle.ObjectsToValidate()...) {
		for _, e := range result.Errors {
			t.Errorf("%s: %s", result.Name, e.Error())
		}
		for _, w := range result.Warnings {
			if w.Level == errors.LevelWarn {
				t.Logf("warning: %s: %s", result.Name, w.Error())
			}
		}
	}
	csv := bundle.CSV
	supported := map[operatorsv1alpha1.InstallModeType]bool{}
	for _, m := range csv.Spec.InstallModes {
		supported[m.Type] = m.Supported
	}
	if !supported[operatorsv1alpha1.InstallModeTypeAllNamespaces] {
		t.Error("AllNamespaces install mode not supported: OLM v1 needs it")
	}
	if len(csv.Spec.CustomResourceDefinitions.Owned) != 5 || len(bundle.V1CRDs) != 5 {
		t.Errorf("%d owned CRDs in the CSV, %d CRD files; want 5 and 5", len(csv.Spec.CustomResourceDefinitions.Owned), len(bundle.V1CRDs))
	}
	for _, owned := range csv.Spec.CustomResourceDefinitions.Owned {
		if owned.Description == "" || owned.DisplayName == "" {
			t.Errorf("owned CRD %s has no description", owned.Name)
		}
	}
	var examples []map[string]any
	if err := json.Unmarshal([]byte(csv.Annotations["alm-examples"]), &examples); err != nil || len(examples) < 5 {
		t.Errorf("alm-examples: %d examples, %v", len(examples), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "metadata", "dependencies.yaml")); err == nil {
		t.Error("the bundle declares dependencies; StreamGate has none")
	}
	strategy := csv.Spec.InstallStrategy.StrategySpec
	if len(strategy.DeploymentSpecs) != 1 || len(strategy.Permissions) == 0 || len(strategy.Permissions[0].Rules) == 0 {
		t.Fatal("the install strategy lacks the manager Deployment or its permissions")
	}
	// Every install mode it declares, it honours: the manager watches
	// WATCH_NAMESPACE, set from the OperatorGroup's target namespaces, and
	// its rules are CSV permissions (Roles in the target namespaces), so
	// only the metrics endpoint's token and access reviews are cluster-wide.
	for _, m := range []operatorsv1alpha1.InstallModeType{operatorsv1alpha1.InstallModeTypeOwnNamespace,
		operatorsv1alpha1.InstallModeTypeSingleNamespace, operatorsv1alpha1.InstallModeTypeMultiNamespace} {
		if !supported[m] {
			t.Errorf("install mode %s not declared", m)
		}
	}
	env := strategy.DeploymentSpecs[0].Spec.Template.Spec.Containers[0].Env
	watches := false
	for _, e := range env {
		watches = watches || e.Name == "WATCH_NAMESPACE" && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil &&
			e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['olm.targetNamespaces']"
	}
	if !watches {
		t.Errorf("the manager is not told the target namespaces: env %+v", env)
	}
	for _, p := range strategy.ClusterPermissions {
		for _, rule := range p.Rules {
			for _, g := range rule.APIGroups {
				if g != "authentication.k8s.io" && g != "authorization.k8s.io" {
					t.Errorf("cluster-wide rule beyond the metrics reviews: %+v", rule)
				}
			}
		}
	}
}
