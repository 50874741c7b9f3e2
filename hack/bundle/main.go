// Command bundle writes an OLM registry+v1 bundle for StreamGate from the
// kustomize output of config/default and the samples:
//
//	go run ./hack/bundle --version 0.1.0 --image ghcr.io/streamgate-io/streamgate:v0.1.0 --out bundle
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/operator-framework/api/pkg/lib/version"
	operatorsv1alpha1 "github.com/operator-framework/api/pkg/operators/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/streamgate-io/streamgate/internal/kustomize"
)

const packageName = "streamgate"

var descriptions = map[string]struct{ display, text string }{
	"Video":          {"Video", "A source file transcoded into an adaptive HLS ladder and served, optionally behind an NFT gate."},
	"TranscodeJob":   {"Transcode Job", "One immutable run of the transcoder over a source; Videos create them."},
	"StreamEndpoint": {"Stream Endpoint", "Streaming pods that serve label-selected Videos and check viewers' wallets."},
	"NFTGate":        {"NFT Gate", "Lets in only wallets that hold given ERC-721, ERC-1155, ERC-20 or Metaplex tokens."},
	"ChainIndexer":   {"Chain Indexer", "Follows token transfers on an EVM chain so gates can answer without an RPC round trip."},
}

func main() {
	version := flag.String("version", "0.1.0", "bundle version")
	image := flag.String("image", "ghcr.io/streamgate-io/streamgate:v0.1.0", "operator image")
	out := flag.String("out", "bundle", "bundle folder")
	flag.Parse()
	if err := run(*version, *image, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run(bundleVersion, image, out string) error {
	rendered, err := kustomize.Build("config/default", []string{"ghcr.io/streamgate-io/streamgate=" + image})
	if err != nil {
		return err
	}
	objs, err := kustomize.Decode(rendered)
	if err != nil {
		return err
	}
	csv := &operatorsv1alpha1.ClusterServiceVersion{
		TypeMeta:   metav1.TypeMeta{APIVersion: operatorsv1alpha1.SchemeGroupVersion.String(), Kind: operatorsv1alpha1.ClusterServiceVersionKind},
		ObjectMeta: metav1.ObjectMeta{Name: packageName + ".v" + bundleVersion},
	}
	var crds []*apiextensionsv1.CustomResourceDefinition
	var deployment *appsv1.Deployment
	var clusterRules, nsRules []rbacv1.PolicyRule
	serviceAccount := ""
	for _, u := range objs {
		switch u.GetKind() {
		case "CustomResourceDefinition":
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := convert(u, crd); err != nil {
				return err
			}
			crds = append(crds, crd)
		case "Deployment":
			deployment = &appsv1.Deployment{}
			if err := convert(u, deployment); err != nil {
				return err
			}
			serviceAccount = deployment.Spec.Template.Spec.ServiceAccountName
		case "ClusterRole":
			var role rbacv1.ClusterRole
			if err := convert(u, &role); err != nil {
				return err
			}
			// The manager's own roles; tenants' aggregated roles are not the
			// operator's. Every rule of the manager's role is about
			// namespaced objects: as CSV permissions, OLM grants them in the
			// target namespaces only (OwnNamespace, SingleNamespace,
			// MultiNamespace) and cluster-wide only in AllNamespaces mode.
			// Only the metrics endpoint's TokenReviews and
			// SubjectAccessReviews are cluster-scoped.
			switch {
			case strings.HasSuffix(role.Name, "manager-role"):
				nsRules = append(nsRules, role.Rules...)
			case strings.HasSuffix(role.Name, "metrics-auth-role"):
				clusterRules = append(clusterRules, role.Rules...)
			}
		case "Role":
			var role rbacv1.Role
			if err := convert(u, &role); err != nil {
				return err
			}
			nsRules = append(nsRules, role.Rules...)
		}
	}
	if deployment == nil || len(crds) != 5 {
		return errors.New("config/default did not render the manager Deployment and five CRDs")
	}
	sort.Slice(crds, func(i, j int) bool { return crds[i].Name < crds[j].Name })
	// The manager watches the OperatorGroup's target namespaces, which OLM
	// writes into this annotation of the pod ("" for all namespaces).
	for i := range deployment.Spec.Template.Spec.Containers {
		c := &deployment.Spec.Template.Spec.Containers[i]
		c.Env = append(c.Env, corev1.EnvVar{Name: "WATCH_NAMESPACE", ValueFrom: &corev1.EnvVarSource{
			FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.annotations['olm.targetNamespaces']"}}})
	}

	examples, err := samples()
	if err != nil {
		return err
	}
	csv.Annotations = map[string]string{
		"alm-examples":                           examples,
		"capabilities":                           "Basic Install",
		"categories":                             "Media,Security",
		"containerImage":                         image,
		"description":                            "Token-gated video streaming: transcode to adaptive HLS, serve behind NFT gates.",
		"repository":                             "https://github.com/streamgate-io/streamgate",
		"support":                                "StreamGate",
		"operators.operatorframework.io/builder": "streamgate-hack-bundle",
		"operators.operatorframework.io/project_layout": "go.kubebuilder.io/v4",
	}
	csv.Spec = operatorsv1alpha1.ClusterServiceVersionSpec{
		DisplayName: "StreamGate",
		Description: "StreamGate transcodes Videos into adaptive HLS ladders with Kubernetes Jobs, serves them from streaming pods, " +
			"and lets a viewer in only after a wallet signature proves they hold the right NFT (EVM or Solana).",
		Version:        mustVersion(bundleVersion),
		Maturity:       "alpha",
		MinKubeVersion: "1.30.0",
		Keywords:       []string{"video", "hls", "nft", "streaming", "web3", "transcoding"},
		Maintainers:    []operatorsv1alpha1.Maintainer{{Name: "StreamGate maintainers", Email: "maintainers@streamgate.io"}},
		Provider:       operatorsv1alpha1.AppLink{Name: "StreamGate"},
		Links:          []operatorsv1alpha1.AppLink{{Name: "Source", URL: "https://github.com/streamgate-io/streamgate"}},
		InstallModes: []operatorsv1alpha1.InstallMode{
			{Type: operatorsv1alpha1.InstallModeTypeOwnNamespace, Supported: true},
			{Type: operatorsv1alpha1.InstallModeTypeSingleNamespace, Supported: true},
			{Type: operatorsv1alpha1.InstallModeTypeMultiNamespace, Supported: true},
			{Type: operatorsv1alpha1.InstallModeTypeAllNamespaces, Supported: true},
		},
		InstallStrategy: operatorsv1alpha1.NamedInstallStrategy{
			StrategyName: operatorsv1alpha1.InstallStrategyNameDeployment,
			StrategySpec: operatorsv1alpha1.StrategyDetailsDeployment{
				DeploymentSpecs:    []operatorsv1alpha1.StrategyDeploymentSpec{{Name: deployment.Name, Label: deployment.Labels, Spec: deployment.Spec}},
				ClusterPermissions: []operatorsv1alpha1.StrategyDeploymentPermissions{{ServiceAccountName: serviceAccount, Rules: clusterRules}},
				Permissions:        []operatorsv1alpha1.StrategyDeploymentPermissions{{ServiceAccountName: serviceAccount, Rules: nsRules}},
			},
		},
	}
	for _, crd := range crds {
		v := crd.Spec.Versions[0]
		d := descriptions[crd.Spec.Names.Kind]
		csv.Spec.CustomResourceDefinitions.Owned = append(csv.Spec.CustomResourceDefinitions.Owned, operatorsv1alpha1.CRDDescription{
			Name: crd.Name, Version: v.Name, Kind: crd.Spec.Names.Kind, DisplayName: d.display, Description: d.text})
	}

	manifests := filepath.Join(out, "manifests")
	metadata := filepath.Join(out, "metadata")
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for _, dir := range []string{manifests, metadata} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := writeYAML(filepath.Join(manifests, packageName+".clusterserviceversion.yaml"), csv); err != nil {
		return err
	}
	for _, crd := range crds {
		crd.Status = apiextensionsv1.CustomResourceDefinitionStatus{}
		if err := writeYAML(filepath.Join(manifests, crd.Name+".yaml"), crd); err != nil {
			return err
		}
	}
	annotations := map[string]any{"annotations": map[string]string{
		"operators.operatorframework.io.bundle.mediatype.v1":       "registry+v1",
		"operators.operatorframework.io.bundle.manifests.v1":       "manifests/",
		"operators.operatorframework.io.bundle.metadata.v1":        "metadata/",
		"operators.operatorframework.io.bundle.package.v1":         packageName,
		"operators.operatorframework.io.bundle.channels.v1":        "candidate",
		"operators.operatorframework.io.bundle.channel.default.v1": "candidate",
	}}
	if err := writeYAML(filepath.Join(metadata, "annotations.yaml"), annotations); err != nil {
		return err
	}
	dockerfile := `FROM scratch
LABEL operators.operatorframework.io.bundle.mediatype.v1=registry+v1
LABEL operators.operatorframework.io.bundle.manifests.v1=manifests/
LABEL operators.operatorframework.io.bundle.metadata.v1=metadata/
LABEL operators.operatorframework.io.bundle.package.v1=streamgate
LABEL operators.operatorframework.io.bundle.channels.v1=candidate
LABEL operators.operatorframework.io.bundle.channel.default.v1=candidate
COPY bundle/manifests /manifests/
COPY bundle/metadata /metadata/
`
	return os.WriteFile("bundle.Dockerfile", []byte(dockerfile), 0o644)
}

func convert(u *unstructured.Unstructured, into any) error {
	return runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into)
}

// samples renders config/samples as the CSV's alm-examples.
func samples() (string, error) {
	rendered, err := kustomize.Build("config/samples", nil)
	if err != nil {
		return "", err
	}
	objs, err := kustomize.Decode(rendered)
	if err != nil {
		return "", err
	}
	var list []map[string]any
	for _, o := range objs {
		list = append(list, o.Object)
	}
	data, err := json.MarshalIndent(list, "", "  ")
	return string(data), err
}

func writeYAML(path string, v any) error {
	data, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func mustVersion(v string) version.OperatorVersion {
	var ov version.OperatorVersion
	if err := json.Unmarshal([]byte(`"`+v+`"`), &ov); err != nil {
		panic(err)
	}
	return ov
}
