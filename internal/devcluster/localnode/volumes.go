package localnode

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// projector maps a pod's volumes to folders and keeps the projected ones
// (ConfigMap, Secret, downward API, ServiceAccount token) current.
type projector struct {
	client kubernetes.Interface
	pod    *corev1.Pod
	ip     string
	dir    string
	tokens map[string]token // by volume/path
}

type token struct {
	value   []byte
	refresh time.Time
}

// materialize returns the host folder of every volume, creating and
// projecting them.
func (v *projector) materialize(ctx context.Context) (map[string]string, error) {
	folders := map[string]string{}
	for _, vol := range v.pod.Spec.Volumes {
		folder := filepath.Join(v.dir, vol.Name)
		switch {
		case vol.EmptyDir != nil:
			if err := os.MkdirAll(folder, 0o777); err != nil {
				return nil, err
			}
		case vol.HostPath != nil:
			folder = vol.HostPath.Path
			if t := vol.HostPath.Type; t != nil && *t == corev1.HostPathDirectoryOrCreate {
				if err := os.MkdirAll(folder, 0o755); err != nil {
					return nil, err
				}
			}
		case vol.PersistentVolumeClaim != nil:
			var err error
			if folder, err = v.claimFolder(ctx, vol.PersistentVolumeClaim.ClaimName); err != nil {
				return nil, err
			}
		case vol.ConfigMap != nil, vol.Secret != nil, vol.DownwardAPI != nil, vol.Projected != nil:
			if err := v.project(ctx, vol, folder); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("volume %q: the local node maps emptyDir, hostPath, persistentVolumeClaim, configMap, secret, downwardAPI and projected volumes only", vol.Name)
		}
		folders[vol.Name] = folder
	}
	return folders, nil
}

// refresh re-projects what changed since the last projection.
func (v *projector) refresh(ctx context.Context) error {
	for _, vol := range v.pod.Spec.Volumes {
		if vol.ConfigMap != nil || vol.Secret != nil || vol.DownwardAPI != nil || vol.Projected != nil {
			if err := v.project(ctx, vol, filepath.Join(v.dir, vol.Name)); err != nil {
				return fmt.Errorf("volume %s: %w", vol.Name, err)
			}
		}
	}
	return nil
}

func (v *projector) claimFolder(ctx context.Context, name string) (string, error) {
	claim, err := v.client.CoreV1().PersistentVolumeClaims(v.pod.Namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("PersistentVolumeClaim %q: %w", name, err)
	}
	if claim.Status.Phase != corev1.ClaimBound || claim.Spec.VolumeName == "" {
		return "", fmt.Errorf("PersistentVolumeClaim %q is not bound yet", name)
	}
	pv, err := v.client.CoreV1().PersistentVolumes().Get(ctx, claim.Spec.VolumeName, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("PersistentVolume %q: %w", claim.Spec.VolumeName, err)
	}
	if pv.Spec.HostPath == nil {
		return "", fmt.Errorf("PersistentVolume %q is not a local folder (hostPath)", pv.Name)
	}
	return pv.Spec.HostPath.Path, nil
}

// sources are a volume's content as projected-volume sources: a configMap,
// secret or downwardAPI volume is a projection of one source.
func sources(vol corev1.Volume) []corev1.VolumeProjection {
	switch {
	case vol.ConfigMap != nil:
		return []corev1.VolumeProjection{{ConfigMap: &corev1.ConfigMapProjection{
			LocalObjectReference: vol.ConfigMap.LocalObjectReference, Items: vol.ConfigMap.Items, Optional: vol.ConfigMap.Optional}}}
	case vol.Secret != nil:
		return []corev1.VolumeProjection{{Secret: &corev1.SecretProjection{
			LocalObjectReference: corev1.LocalObjectReference{Name: vol.Secret.SecretName}, Items: vol.Secret.Items, Optional: vol.Secret.Optional}}}
	case vol.DownwardAPI != nil:
		return []corev1.VolumeProjection{{DownwardAPI: &corev1.DownwardAPIProjection{Items: vol.DownwardAPI.Items}}}
	case vol.Projected != nil:
		return vol.Projected.Sources
	}
	return nil
}

func (v *projector) project(ctx context.Context, vol corev1.Volume, folder string) error {
	files := map[string][]byte{}
	var err error
	for _, source := range sources(vol) {
		switch {
		case source.ConfigMap != nil:
			err = v.configMap(ctx, source.ConfigMap.Name, source.ConfigMap.Items, source.ConfigMap.Optional, files)
		case source.Secret != nil:
			err = v.secret(ctx, source.Secret.Name, source.Secret.Items, source.Secret.Optional, files)
		case source.DownwardAPI != nil:
			err = v.downward(source.DownwardAPI.Items, files)
		case source.ServiceAccountToken != nil:
			var t []byte
			t, err = v.token(ctx, vol.Name, source.ServiceAccountToken)
			files[source.ServiceAccountToken.Path] = t
		default:
			err = fmt.Errorf("volume %q: unsupported projected source", vol.Name)
		}
		if err != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	return writeAtomically(folder, files)
}

func (v *projector) configMap(ctx context.Context, name string, items []corev1.KeyToPath, optional *bool, files map[string][]byte) error {
	cm, err := v.client.CoreV1().ConfigMaps(v.pod.Namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) && ptrTrue(optional) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ConfigMap %q: %w", name, err)
	}
	data := map[string][]byte{}
	for k, val := range cm.Data {
		data[k] = []byte(val)
	}
	for k, val := range cm.BinaryData {
		data[k] = val
	}
	return pick("ConfigMap "+name, data, items, optional, files)
}

func (v *projector) secret(ctx context.Context, name string, items []corev1.KeyToPath, optional *bool, files map[string][]byte) error {
	s, err := v.client.CoreV1().Secrets(v.pod.Namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) && ptrTrue(optional) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("Secret %q: %w", name, err)
	}
	return pick("Secret "+name, s.Data, items, optional, files)
}

func pick(what string, data map[string][]byte, items []corev1.KeyToPath, optional *bool, files map[string][]byte) error {
	if len(items) == 0 {
		for k, val := range data {
			files[k] = val
		}
		return nil
	}
	for _, item := range items {
		val, ok := data[item.Key]
		if !ok {
			if ptrTrue(optional) {
				continue
			}
			return fmt.Errorf("%s has no key %q", what, item.Key)
		}
		files[item.Path] = val
	}
	return nil
}

func (v *projector) downward(items []corev1.DownwardAPIVolumeFile, files map[string][]byte) error {
	for _, item := range items {
		if item.FieldRef == nil {
			continue // resourceFieldRef: the node enforces no resources
		}
		val, err := fieldValue(v.pod, v.ip, item.FieldRef.FieldPath)
		if err != nil {
			return err
		}
		files[item.Path] = []byte(val)
	}
	return nil
}

// token is a TokenRequest for the pod's ServiceAccount bound to the pod,
// renewed at 80% of its life, as the kubelet does.
func (v *projector) token(ctx context.Context, volume string, source *corev1.ServiceAccountTokenProjection) ([]byte, error) {
	if v.tokens == nil {
		v.tokens = map[string]token{}
	}
	k := volume + "/" + source.Path
	if t, ok := v.tokens[k]; ok && time.Now().Before(t.refresh) {
		return t.value, nil
	}
	seconds := int64(3600)
	if source.ExpirationSeconds != nil {
		seconds = *source.ExpirationSeconds
	}
	request := &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{
		ExpirationSeconds: &seconds,
		BoundObjectRef:    &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: v.pod.Name, UID: v.pod.UID},
	}}
	if source.Audience != "" {
		request.Spec.Audiences = []string{source.Audience}
	}
	sa := v.pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	issued, err := v.client.CoreV1().ServiceAccounts(v.pod.Namespace).CreateToken(ctx, sa, request, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("token for ServiceAccount %s: %w", sa, err)
	}
	life := time.Until(issued.Status.ExpirationTimestamp.Time)
	v.tokens[k] = token{value: []byte(issued.Status.Token), refresh: time.Now().Add(life * 8 / 10)}
	return v.tokens[k].value, nil
}

// writeAtomically lays out files as the kubelet does, so readers never see
// a half-updated volume: the content lives in a timestamped folder, `..data`
// links to it and is swapped by one rename, and every top-level name links
// through `..data`. Nothing is written when the content is unchanged.
func writeAtomically(folder string, files map[string][]byte) error {
	if unchanged(folder, files) {
		return nil
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	version := ".." + time.Now().UTC().Format("2006_01_02_15_04_05.") + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	for name, content := range files {
		file := filepath.Join(folder, version, path.Clean(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, content, 0o644); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(folder, version), 0o755); err != nil {
		return err
	}
	previous, _ := os.Readlink(filepath.Join(folder, "..data"))
	tmp := filepath.Join(folder, "..data_tmp")
	_ = os.Remove(tmp)
	if err := os.Symlink(version, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(folder, "..data")); err != nil {
		return err
	}
	top := map[string]bool{}
	for name := range files {
		first := strings.Split(path.Clean(name), "/")[0]
		top[first] = true
		link := filepath.Join(folder, first)
		if _, err := os.Lstat(link); os.IsNotExist(err) {
			if err := os.Symlink(filepath.Join("..data", first), link); err != nil {
				return err
			}
		}
	}
	entries, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "..") && !top[e.Name()] {
			_ = os.Remove(filepath.Join(folder, e.Name()))
		}
	}
	if previous != "" && previous != version {
		return os.RemoveAll(filepath.Join(folder, previous))
	}
	return nil
}

func unchanged(folder string, files map[string][]byte) bool {
	data := filepath.Join(folder, "..data")
	if _, err := os.Stat(data); err != nil {
		return false
	}
	count := 0
	err := filepath.WalkDir(data+"/", func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			count++
		}
		return err
	})
	if err != nil || count != len(files) {
		return false
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		current, err := os.ReadFile(filepath.Join(data, path.Clean(name)))
		if err != nil || !bytes.Equal(current, files[name]) {
			return false
		}
	}
	return true
}
