// Package testenv starts a real kube-apiserver and etcd (envtest) with the
// StreamGate CRDs installed, for tests. The binaries are built from source by
// `make k8s-binaries` into bin/k8s; KUBEBUILDER_ASSETS overrides the folder.
package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/repo"
)

// Env is a running API server with the CRDs installed.
type Env struct {
	*envtest.Environment
	Config *rest.Config
}

// Start starts etcd and kube-apiserver on 127.0.0.1 with free ports and
// installs the CRDs of config/crd/bases. Call Stop when done.
func Start() (*Env, error) {
	assets := repo.AssetsDir()
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(assets, bin)); err != nil {
			return nil, fmt.Errorf("%s not found in %s: run `make k8s-binaries` (or set KUBEBUILDER_ASSETS): %w", bin, assets, err)
		}
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{filepath.Join(repo.Root(), "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	// OpenShift runs this plugin by default: owning a child with
	// blockOwnerDeletion then needs update on the owner's finalizers, and a
	// manager running with the generated role must have it.
	env.ControlPlane.GetAPIServer().Configure().Append("enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
	cfg, err := env.Start()
	if err != nil {
		// Started but refused the CRDs (say, an invalid CEL rule): stop the
		// API server and etcd, or they outlive the test run.
		_ = env.Stop()
		return nil, fmt.Errorf("start envtest from %s: %w", assets, err)
	}
	return &Env{Environment: env, Config: cfg}, nil
}

// Stop stops the API server and etcd.
func (e *Env) Stop() error {
	if err := e.Environment.Stop(); err != nil {
		return fmt.Errorf("stop envtest: %w", err)
	}
	return nil
}

// Scheme knows the built-in kinds and StreamGate's.
func Scheme() *k8sruntime.Scheme {
	scheme := k8sruntime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(streamgatev1alpha1.AddToScheme(scheme))
	return scheme
}

// NewClient is a client of the test API server (no cache).
func (e *Env) NewClient() (client.Client, error) {
	return client.New(e.Config, client.Options{Scheme: Scheme()})
}

// Main starts the API server for a test package, hands a client to setup,
// runs the tests and stops the server: the body of a TestMain.
func Main(m interface{ Run() int }, setup func(*Env, client.Client)) int {
	env, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	k8s, err := env.NewClient()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	setup(env, k8s)
	return m.Run()
}

// ServiceAccountToken makes a ServiceAccount and a real token for it from
// the API server's TokenRequest, as a pod's projected token would be.
func ServiceAccountToken(ctx context.Context, c client.Client, namespace, name string) (string, error) {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if err := c.Create(ctx, sa); err != nil {
		return "", fmt.Errorf("create ServiceAccount %s: %w", name, err)
	}
	request := &authenticationv1.TokenRequest{}
	if err := c.SubResource("token").Create(ctx, sa, request); err != nil {
		return "", fmt.Errorf("TokenRequest for %s: %w", name, err)
	}
	return request.Status.Token, nil
}
