package localnode

import (
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestArgsSeeMountPathsAndPodAddress(t *testing.T) {
	c := &container{root: "/run/pod/root", spec: corev1.Container{VolumeMounts: []corev1.VolumeMount{
		{Name: "media", MountPath: "/var/run/streamgate/claims/media"},
		{Name: "catalog", MountPath: "/etc/streamgate/catalog/"},
	}}}
	for arg, want := range map[string]string{
		"--catalog=/etc/streamgate/catalog/catalog.json": "--catalog=/run/pod/root/etc/streamgate/catalog/catalog.json",
		"--claims-root=/var/run/streamgate/claims":       "--claims-root=/run/pod/root/var/run/streamgate/claims", // a parent of a mount
		"/var/run/streamgate/claims/media/a/b.m3u8":      "/run/pod/root/var/run/streamgate/claims/media/a/b.m3u8",
		"--termination-log=/dev/termination-log":         "--termination-log=/run/pod/root/dev/termination-log",
		"--listen=:8080":                                 "--listen=127.0.0.7:8080",
		"--metrics-bind-address=0.0.0.0:8443":            "--metrics-bind-address=127.0.0.7:8443",
		"[::]:9000":                                      "127.0.0.7:9000",
		"--listen=10.0.0.1:8080":                         "--listen=10.0.0.1:8080",    // a specific address is kept
		"/etc/streamgate/catalogue":                      "/etc/streamgate/catalogue", // a sibling, not a mount
		"/":                                              "/",
		"--preset=veryfast":                              "--preset=veryfast",
		"relative/path":                                  "relative/path",
	} {
		if got := c.translateArg(arg, "127.0.0.7"); got != want {
			t.Errorf("%s -> %s, want %s", arg, got, want)
		}
	}
}

func TestVariableReferences(t *testing.T) {
	vars := map[string]string{"POD_IP": "127.0.0.9", "NAME": "x"}
	for in, want := range map[string]string{
		"--bind=$(POD_IP):80": "--bind=127.0.0.9:80",
		"$(NAME)-$(NAME)":     "x-x",
		"$$(NAME)":            "$(NAME)", // escaped
		"$(MISSING)":          "$(MISSING)",
		"$NAME":               "$NAME",
	} {
		if got := expand(in, vars); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProjectedVolumeSwapsAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vol")
	if err := writeAtomically(dir, map[string][]byte{"a": []byte("1"), "nested/b": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	first, _ := os.Readlink(filepath.Join(dir, "..data"))
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(data)
	}
	if read("a") != "1" || read("nested/b") != "2" {
		t.Fatalf("first projection: a=%s nested/b=%s", read("a"), read("nested/b"))
	}
	if err := writeAtomically(dir, map[string][]byte{"a": []byte("1"), "nested/b": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.Readlink(filepath.Join(dir, "..data")); again != first {
		t.Errorf("unchanged content was written again (%s -> %s)", first, again)
	}
	if err := writeAtomically(dir, map[string][]byte{"a": []byte("changed")}); err != nil {
		t.Fatal(err)
	}
	if read("a") != "changed" {
		t.Errorf("a = %s after the update", read("a"))
	}
	if _, err := os.Lstat(filepath.Join(dir, "nested")); !os.IsNotExist(err) {
		t.Errorf("a removed key is still linked: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, first)); !os.IsNotExist(err) {
		t.Errorf("the previous version %s was not removed: %v", first, err)
	}
}

func TestOnlyTheStreamGateImageRuns(t *testing.T) {
	p := &provider{opts: Options{Images: []string{"ghcr.io/streamgate-io/streamgate"}, Binary: "/x/bin/streamgate"}}
	for image, want := range map[string]bool{
		"ghcr.io/streamgate-io/streamgate:v0.1.0":        true,
		"ghcr.io/streamgate-io/streamgate@sha256:abcdef": true,
		"ghcr.io/streamgate-io/streamgate":               true,
		"ghcr.io/streamgate-io/streamgate-evil:v1":       false,
		"nginx:1.27": false,
		"localhost:5000/ghcr.io/streamgate-io/streamgate": false,
	} {
		if got := p.acceptsImage(image); got != want {
			t.Errorf("acceptsImage(%s) = %v", image, got)
		}
	}
	pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "ghcr.io/streamgate-io/streamgate:v1", Command: []string{"/bin/sh"}}}}}
	if p.refusal(pod) == "" {
		t.Error("a shell command in the StreamGate image was accepted")
	}
}

// resourceFieldRef values are what the kubelet gives: with no divisor,
// memory in bytes (GOMEMLIMIT refuses "512Mi") and CPU in whole cores.
func TestResourceFieldRefsAreTheKubelets(t *testing.T) {
	c := corev1.Container{Resources: corev1.ResourceRequirements{
		Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("512Mi"), corev1.ResourceCPU: resource.MustParse("1500m")},
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m")},
	}}
	for _, tc := range []struct {
		ref  corev1.ResourceFieldSelector
		want string
	}{
		{corev1.ResourceFieldSelector{Resource: "limits.memory"}, "536870912"},
		{corev1.ResourceFieldSelector{Resource: "limits.memory", Divisor: resource.MustParse("1Mi")}, "512"},
		{corev1.ResourceFieldSelector{Resource: "limits.cpu"}, "2"},
		{corev1.ResourceFieldSelector{Resource: "requests.cpu", Divisor: resource.MustParse("1m")}, "10"},
	} {
		if got := resourceValue(c, &tc.ref); got != tc.want {
			t.Errorf("%s / %s = %q, want %q", tc.ref.Resource, tc.ref.Divisor.String(), got, tc.want)
		}
	}
}
