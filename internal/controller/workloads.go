package controller

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// The pieces every pod StreamGate runs shares: transcode Jobs, streaming
// pods and indexer pods are restricted pods of the operator's own image.

// nonRootUser is the image's unprivileged user (and group).
const nonRootUser = 65532

func restrictedPodSecurityContext() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr.To(true),
		RunAsUser:      ptr.To[int64](nonRootUser),
		RunAsGroup:     ptr.To[int64](nonRootUser),
		FSGroup:        ptr.To[int64](nonRootUser),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

func restrictedContainerSecurityContext() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false),
		ReadOnlyRootFilesystem:   ptr.To(true),
		RunAsNonRoot:             ptr.To(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// httpProbe checks a path on the container's "http" port.
func httpProbe(path string) *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString("http")}},
		PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: 3, SuccessThreshold: 1}
}

// ensureHTTPService keeps a Service exposing port on the pods' "http" port.
// owner, when set, controls it (garbage collection removes it with owner).
func ensureHTTPService(ctx context.Context, c client.Client, owner client.Object, name, namespace string, svcType corev1.ServiceType,
	port int32, labels, selector map[string]string) (*corev1.Service, error) {
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	_, err := controllerutil.CreateOrUpdate(ctx, c, svc, func() error {
		svc.Labels = mergeLabels(svc.Labels, labels)
		svc.Spec.Type = svcType
		svc.Spec.Selector = selector
		want := corev1.ServicePort{Name: "http", Port: port, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP}
		if len(svc.Spec.Ports) != 1 || !equality.Semantic.DeepDerivative(want, svc.Spec.Ports[0]) {
			svc.Spec.Ports = []corev1.ServicePort{want}
		}
		return controllerutil.SetControllerReference(owner, svc, c.Scheme())
	})
	if err != nil {
		return nil, fmt.Errorf("ensure Service %s/%s: %w", namespace, name, err)
	}
	return svc, nil
}

// ensureIdentity keeps a ServiceAccount and a Role with exactly rules, bound
// to it. owner, when set, controls all three.
func ensureIdentity(ctx context.Context, c client.Client, owner client.Object, name, namespace string,
	labels map[string]string, rules []rbacv1.PolicyRule) error {
	own := func(obj client.Object) error {
		if owner == nil {
			return nil
		}
		return controllerutil.SetControllerReference(owner, obj, c.Scheme())
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if err := createOrUpdateSeen(ctx, c, sa, func() error {
		sa.Labels = mergeLabels(sa.Labels, labels)
		return own(sa)
	}); err != nil {
		return fmt.Errorf("ensure ServiceAccount %s/%s: %w", namespace, name, err)
	}
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if err := createOrUpdateSeen(ctx, c, role, func() error {
		role.Labels = mergeLabels(role.Labels, labels)
		role.Rules = rules
		return own(role)
	}); err != nil {
		return fmt.Errorf("ensure Role %s/%s: %w", namespace, name, err)
	}
	binding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if err := createOrUpdateSeen(ctx, c, binding, func() error {
		binding.Labels = mergeLabels(binding.Labels, labels)
		binding.RoleRef = rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name}
		binding.Subjects = []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: name, Namespace: namespace}}
		return own(binding)
	}); err != nil {
		return fmt.Errorf("ensure RoleBinding %s/%s: %w", namespace, name, err)
	}
	return nil
}

// createOrUpdateSeen is controllerutil.CreateOrUpdate that, when it wrote,
// returns once the cache shows the write: the next reconcile that needs the
// object (another TranscodeJob of the namespace, for its worker identity)
// then finds it instead of creating it again and failing on a conflict.
func createOrUpdateSeen(ctx context.Context, c client.Client, obj client.Object, mutate controllerutil.MutateFn) error {
	op, err := controllerutil.CreateOrUpdate(ctx, c, obj, mutate)
	if err != nil {
		return err
	}
	if op != controllerutil.OperationResultNone {
		awaitCache(ctx, c, obj)
	}
	return nil
}

func mergeLabels(current, want map[string]string) map[string]string {
	if current == nil {
		current = map[string]string{}
	}
	for k, v := range want {
		current[k] = v
	}
	return current
}
