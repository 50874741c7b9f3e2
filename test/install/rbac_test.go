package install_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/streamgate-io/streamgate/internal/repo"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// reviewedManagerRules is what the manager may do, each grant with why it
// is needed. config/rbac/role.yaml is generated from the controllers'
// markers; a new or wider grant there fails this test until it is reviewed
// and written here.
var reviewedManagerRules = map[string]string{
	"streamgate.io/videos: get list watch":                                            "the Video controller reads what it transcodes; the endpoint builds catalogs",
	"streamgate.io/nftgates: get list watch":                                          "gates are validated, and resolved into catalogs",
	"streamgate.io/chainindexers: get list watch":                                     "indexers are run, and named in catalogs",
	"streamgate.io/streamendpoints: get list watch":                                   "endpoints are run",
	"streamgate.io/transcodejobs: create delete get list patch watch":                 "one TranscodeJob per Video spec, superseded ones deleted after the grace period; patch: the finalizer that holds one until its ladder is removed",
	"streamgate.io/videos/status: get patch":                                          "status is written by merge patch only",
	"streamgate.io/nftgates/status: get patch":                                        "status is written by merge patch only",
	"streamgate.io/chainindexers/status: get patch":                                   "status is written by merge patch only",
	"streamgate.io/streamendpoints/status: get patch":                                 "status is written by merge patch only",
	"streamgate.io/transcodejobs/status: get patch":                                   "status is written by merge patch only",
	"batch/jobs: create delete get list watch":                                        "each transcode, and each removal of a replaced ladder, runs as a Job; delete stops a superseded transcode before its output is removed",
	"/pods: get list patch watch":                                                     "a failed transcode pod's exit code and termination message say why; patch annotates streaming pods with a new catalog's revision, so their kubelet refreshes it at once; list finds the streaming pods to ask whether they reach their stores",
	"discovery.k8s.io/endpointslices: get list watch":                                 "an endpoint is Ready only once its Service routes to a ready pod",
	"/configmaps: create get list patch update watch":                                 "the endpoint's catalog ConfigMap; garbage collection deletes it",
	"/secrets: create get list patch update watch":                                    "the endpoint's keys Secret; tenants' RPC Secrets are read one at a time and watched by metadata",
	"/services: create get list patch update watch":                                   "the endpoint's and indexer's Services; garbage collection deletes them",
	"/persistentvolumeclaims: create get list patch watch":                            "an indexer's store, grown when its spec grows",
	"/serviceaccounts: create get list patch update watch":                            "the identity of transcode workers and indexers",
	"rbac.authorization.k8s.io/roles: create get list patch update watch":             "each worker or indexer may patch only its own object's status",
	"rbac.authorization.k8s.io/rolebindings: create get list patch update watch":      "binds those Roles",
	"apps/deployments: create get list patch update watch":                            "streaming and indexer pods; garbage collection deletes them",
	"autoscaling/horizontalpodautoscalers: create delete get list patch update watch": "an endpoint's HPA, deleted when autoscaling is turned off",
	"policy/poddisruptionbudgets: create delete get list patch update watch":          "an endpoint's PDB, deleted when one replica is left",
	"streamgate.io/videos/finalizers: update":                                         "own TranscodeJobs with blockOwnerDeletion, which OwnerReferencesPermissionEnforcement (OpenShift) allows only to who may update the owner's finalizers",
	"streamgate.io/transcodejobs/finalizers: update":                                  "the same, for the Jobs a TranscodeJob owns",
	"streamgate.io/streamendpoints/finalizers: update":                                "the same, for an endpoint's children",
	"streamgate.io/chainindexers/finalizers: update":                                  "the same, for an indexer's children",
	"events.k8s.io/events: create patch":                                              "Events for every state change a person cares about",
}

func TestManagerRoleIsTheReviewedOne(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repo.Root(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(data, &role); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, rule := range role.Rules {
		if len(rule.ResourceNames) > 0 || len(rule.NonResourceURLs) > 0 {
			t.Errorf("unreviewed kind of rule: %+v", rule)
		}
		verbs := append([]string(nil), rule.Verbs...)
		sort.Strings(verbs)
		for _, g := range rule.APIGroups {
			for _, r := range rule.Resources {
				got[g+"/"+r+": "+strings.Join(verbs, " ")] = true
			}
		}
	}
	for grant := range got {
		_, verbs, _ := strings.Cut(grant, ": ")
		for _, v := range strings.Fields(verbs) {
			if v == "*" || v == "escalate" || v == "bind" || v == "impersonate" {
				t.Errorf("dangerous grant %q", grant)
			}
		}
		if strings.Contains(grant, "*") {
			t.Errorf("wildcard grant %q", grant)
		}
		if _, ok := reviewedManagerRules[grant]; !ok {
			t.Errorf("config/rbac/role.yaml grants %q, which is not in the reviewed list: review it, then add it with why", grant)
		}
	}
	for grant := range reviewedManagerRules {
		if !got[grant] {
			t.Errorf("the reviewed grant %q is gone from config/rbac/role.yaml: remove it from the list too", grant)
		}
	}
}
