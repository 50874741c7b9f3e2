package localnode

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const serviceAccountMount = "/var/run/secrets/kubernetes.io/serviceaccount"

// A container sees its volumes at their mount paths through path
// translation: every mount path is a symbolic link under the container's
// root folder, and an absolute path in the command, args, env or working
// directory that is a mount path, lies under one, or is a parent of one is
// rewritten into that folder. The StreamGate binary takes every path as a
// flag, so this is all it needs of a filesystem namespace.

// mountPaths are the container's mount paths and its termination message
// path.
func (c *container) mountPaths() []string {
	paths := []string{c.terminationPath()}
	for _, m := range c.spec.VolumeMounts {
		paths = append(paths, path.Clean(m.MountPath))
	}
	return paths
}

func (c *container) terminationPath() string {
	if c.spec.TerminationMessagePath == "" {
		return corev1.TerminationMessagePathDefault
	}
	return path.Clean(c.spec.TerminationMessagePath)
}

func (c *container) terminationFile() string { return filepath.Join(c.root, c.terminationPath()) }

func (c *container) translate(value string) string {
	if !path.IsAbs(value) {
		return value
	}
	clean := path.Clean(value)
	if clean == "/" {
		return value
	}
	for _, m := range c.mountPaths() {
		if clean == m || strings.HasPrefix(clean, m+"/") || strings.HasPrefix(m, clean+"/") {
			return filepath.Join(c.root, clean)
		}
	}
	return value
}

// bindsEverywhere matches listen addresses on every interface.
var bindsEverywhere = regexp.MustCompile(`^(0\.0\.0\.0|\[::\])?:(\d+)$`)

// translateArg translates a path and pins a listen address to the pod's IP:
// pods share the host's network, so ":8080" in two pods would collide.
func (c *container) translateArg(arg, podIP string) string {
	pin := func(v string) string {
		if m := bindsEverywhere.FindStringSubmatch(v); m != nil {
			return podIP + ":" + m[2]
		}
		return c.translate(v)
	}
	if eq := strings.Index(arg, "="); strings.HasPrefix(arg, "-") && eq > 0 {
		return arg[:eq+1] + pin(arg[eq+1:])
	}
	return pin(arg)
}

// link makes the container's root folder: a link per mount, the folder of
// its termination message, and a kubeconfig when the ServiceAccount token is
// mounted.
func (c *container) link(st *podState) error {
	if err := os.RemoveAll(c.root); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(c.root, path.Dir(c.terminationPath())), 0o755); err != nil {
		return err
	}
	for _, m := range c.spec.VolumeMounts {
		target, ok := st.volumes[m.Name]
		if !ok {
			return fmt.Errorf("volume %q of mount %s is not in the pod", m.Name, m.MountPath)
		}
		if m.SubPath != "" {
			target = filepath.Join(target, m.SubPath)
			if _, err := os.Stat(target); os.IsNotExist(err) {
				if err := os.MkdirAll(target, 0o755); err != nil {
					return err
				}
			}
		}
		link := filepath.Join(c.root, path.Clean(m.MountPath))
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(target, link); err != nil {
			return fmt.Errorf("mount %s: %w", m.MountPath, err)
		}
	}
	return nil
}

// kubeconfig points in-cluster clients at the API server with the pod's
// projected token: client-go reads KUBECONFIG before the fixed in-cluster
// paths, which a process cannot have without a filesystem namespace.
func (c *container) kubeconfig(st *podState, server string) (string, bool, error) {
	mounted := false
	for _, m := range c.spec.VolumeMounts {
		mounted = mounted || path.Clean(m.MountPath) == serviceAccountMount
	}
	if !mounted {
		return "", false, nil
	}
	file := filepath.Join(st.dir, c.spec.Name+".kubeconfig")
	content := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: in-cluster
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: pod
  user:
    tokenFile: %s
contexts:
- name: in-cluster
  context: {cluster: in-cluster, user: pod, namespace: %s}
current-context: in-cluster
`, server, c.translate(serviceAccountMount+"/ca.crt"), c.translate(serviceAccountMount+"/token"), st.projected.pod.Namespace)
	return file, true, os.WriteFile(file, []byte(content), 0o600)
}

var (
	variableReference = regexp.MustCompile(`\$\$|\$\(([A-Za-z_][-._A-Za-z0-9]*)\)`)
	fieldSubscript    = regexp.MustCompile(`^metadata\.(labels|annotations)\['(.+)'\]$`)
)

// expand resolves $(VAR) references as Kubernetes does ($$ escapes, unknown
// references stay as written).
func expand(s string, vars map[string]string) string {
	return variableReference.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		if v, ok := vars[m[2:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// resolve builds a container's env (the node's, envFrom, then env with
// valueFrom) and its argv, with $(VAR) expansion and path translation.
func (p *provider) resolve(ctx context.Context, st *podState, c *container) (argv, env []string, err error) {
	pod := st.projected.pod
	vars, index := map[string]string{}, map[string]int{}
	set := func(k, v string) {
		if i, ok := index[k]; ok {
			env[i] = k + "=" + v
		} else {
			index[k] = len(env)
			env = append(env, k+"="+v)
		}
		vars[k] = v
	}
	host, port := "127.0.0.1", "443"
	if u := strings.TrimPrefix(p.opts.APIServer, "https://"); strings.Contains(u, ":") {
		host, port = u[:strings.LastIndex(u, ":")], u[strings.LastIndex(u, ":")+1:]
	}
	tmp := filepath.Join(st.dir, "tmp")
	if translated := c.translate("/tmp"); translated != "/tmp" {
		tmp = translated
	}
	for _, kv := range [][2]string{{"PATH", os.Getenv("PATH")}, {"HOME", c.root}, {"HOSTNAME", pod.Name}, {"TMPDIR", tmp},
		{"KUBERNETES_SERVICE_HOST", host}, {"KUBERNETES_SERVICE_PORT", port}} {
		set(kv[0], kv[1])
	}
	if file, ok, err := c.kubeconfig(st, p.opts.APIServer); err != nil {
		return nil, nil, err
	} else if ok {
		set("KUBECONFIG", file)
	}
	for _, from := range c.spec.EnvFrom {
		var data map[string]string
		if from.ConfigMapRef != nil {
			data, err = p.data(ctx, pod.Namespace, from.ConfigMapRef.Name, false, from.ConfigMapRef.Optional)
		} else if from.SecretRef != nil {
			data, err = p.data(ctx, pod.Namespace, from.SecretRef.Name, true, from.SecretRef.Optional)
		}
		if err != nil {
			return nil, nil, err
		}
		for k, v := range data {
			set(from.Prefix+k, v)
		}
	}
	for _, e := range c.spec.Env {
		value, from := c.translate(expand(e.Value, vars)), e.ValueFrom
		switch {
		case from == nil:
		case from.FieldRef != nil:
			value, err = fieldValue(pod, st.ip, from.FieldRef.FieldPath)
		case from.ResourceFieldRef != nil:
			value = resourceValue(c.spec, from.ResourceFieldRef)
		case from.ConfigMapKeyRef != nil:
			r := from.ConfigMapKeyRef
			value, err = p.key(ctx, pod.Namespace, r.Name, r.Key, false, r.Optional)
		case from.SecretKeyRef != nil:
			r := from.SecretKeyRef
			value, err = p.key(ctx, pod.Namespace, r.Name, r.Key, true, r.Optional)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("env %s: %w", e.Name, err)
		}
		set(e.Name, value)
	}
	argv = []string{p.opts.Binary}
	words := c.spec.Args
	if len(c.spec.Command) > 1 {
		words = append(append([]string{}, c.spec.Command[1:]...), c.spec.Args...)
	}
	for _, word := range words {
		argv = append(argv, c.translateArg(expand(word, vars), st.ip))
	}
	return argv, env, nil
}

func ptrTrue(b *bool) bool { return b != nil && *b }

// key is one key of a ConfigMap or Secret, "" when optional and missing.
func (p *provider) key(ctx context.Context, namespace, name, key string, secret bool, optional *bool) (string, error) {
	data, err := p.data(ctx, namespace, name, secret, optional)
	if err != nil {
		return "", err
	}
	value, ok := data[key]
	if !ok && data != nil && !ptrTrue(optional) {
		return "", fmt.Errorf("key %q not in %s %s", key, map[bool]string{true: "Secret", false: "ConfigMap"}[secret], name)
	}
	return value, nil
}

// data reads a ConfigMap or Secret the pod references: a GET, which the
// Node authorizer allows for objects of pods bound to this node.
func (p *provider) data(ctx context.Context, namespace, name string, secret bool, optional *bool) (map[string]string, error) {
	out := map[string]string{}
	var err error
	if secret {
		var s *corev1.Secret
		if s, err = p.client.CoreV1().Secrets(namespace).Get(ctx, name, metav1.GetOptions{}); err == nil {
			for k, v := range s.Data {
				out[k] = string(v)
			}
		}
	} else {
		var cm *corev1.ConfigMap
		if cm, err = p.client.CoreV1().ConfigMaps(namespace).Get(ctx, name, metav1.GetOptions{}); err == nil {
			for k, v := range cm.Data {
				out[k] = v
			}
		}
	}
	if apierrors.IsNotFound(err) {
		if ptrTrue(optional) {
			return nil, nil
		}
		kind := map[bool]string{true: "Secret", false: "ConfigMap"}[secret]
		return nil, fmt.Errorf("%s %q not found", kind, name)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fieldValue is the downward API for env and volumes.
func fieldValue(pod *corev1.Pod, podIP, fieldPath string) (string, error) {
	switch fieldPath {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.podIPs":
		return podIP, nil
	case "status.hostIP", "status.hostIPs":
		return "127.0.0.1", nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	}
	if m := fieldSubscript.FindStringSubmatch(fieldPath); m != nil {
		if m[1] == "labels" {
			return pod.Labels[m[2]], nil
		}
		return pod.Annotations[m[2]], nil
	}
	return "", fmt.Errorf("unsupported fieldPath %q", fieldPath)
}

func formatMap(m map[string]string) string {
	var lines []string
	for k, v := range m {
		lines = append(lines, k+"="+strconv.Quote(v))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func resourceValue(c corev1.Container, ref *corev1.ResourceFieldSelector) string {
	name := corev1.ResourceName(strings.TrimPrefix(strings.TrimPrefix(ref.Resource, "limits."), "requests."))
	list := c.Resources.Limits
	if strings.HasPrefix(ref.Resource, "requests.") {
		list = c.Resources.Requests
	}
	q, ok := list[name]
	if !ok {
		return ""
	}
	// As the kubelet: no divisor means 1, so memory is a plain number of
	// bytes (what GOMEMLIMIT accepts) and CPU whole cores, rounded up.
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	return strconv.FormatInt((q.MilliValue()+divisor.MilliValue()-1)/divisor.MilliValue(), 10)
}
