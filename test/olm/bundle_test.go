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

	"github.com/streamgate-io/streamgate/internal/testenv"
)

func TestBundleIsValid(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(), "bundle")
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
	if len(csv.Spec.InstallStrategy.StrategySpec.DeploymentSpecs) != 1 || len(csv.Spec.InstallStrategy.StrategySpec.ClusterPermissions[0].Rules) == 0 {
		t.Error("the install strategy lacks the manager Deployment or its permissions")
	}
}
