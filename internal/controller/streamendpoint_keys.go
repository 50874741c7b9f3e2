package controller

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
)

// The signing-key concern of the StreamEndpoint controller.

// ensureSecret keeps the endpoint's Secret: the token signing key
// (generated once, rotated on request with the previous key kept for one
// TTL), the RPC URLs of its gates and the credentials of its videos'
// object stores. It returns when to come back to drop
// an expired previous key, and the Secret's revision when this call changed
// it ("" when it did not).
func (r *StreamEndpointReconciler) ensureSecret(ctx context.Context, se *streamgatev1alpha1.StreamEndpoint, rpc map[string]streamgatev1alpha1.SecretKeyReference) (time.Duration, string, error) {
	now := r.now()
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: endpointChild(se, "keys"), Namespace: se.Namespace}}
	urls := map[string][]byte{}
	for key, ref := range rpc {
		var src corev1.Secret
		if err := r.APIReader.Get(ctx, types.NamespacedName{Namespace: se.Namespace, Name: ref.Name}, &src); err != nil {
			continue // the NFTGate reports it; the video answers 503 until then
		}
		k := ref.Key
		if k == "" {
			k = "url"
		}
		urls[key] = src.Data[k]
	}
	var requeue, rotatedFor time.Duration
	rotated := false
	result, err := controllerutil.CreateOrUpdate(ctx, r.Client, secret, func() error {
		secret.Labels = mergeLabels(secret.Labels, endpointLabels(se))
		secret.Type = corev1.SecretTypeOpaque
		data := map[string][]byte{}
		for k, v := range secret.Data {
			if !strings.HasPrefix(k, "rpc.") && !strings.HasPrefix(k, s3CredentialsPrefix) {
				data[k] = v
			}
		}
		for k, v := range urls {
			data[k] = v
		}
		if len(data["signing-key"]) == 0 {
			data["signing-key"] = newSigningKey()
		}
		want := se.Annotations[AnnotationRotateSigningKey]
		if secret.Annotations == nil {
			secret.Annotations = map[string]string{}
		}
		if want != "" && secret.Annotations[annotationRotatedFor] != want {
			ttl := 10 * time.Minute
			if se.Spec.TokenTTL != nil {
				ttl = se.Spec.TokenTTL.Duration
			}
			data["previous-signing-key"] = data["signing-key"]
			data["previous-valid-until"] = []byte(now.Add(ttl).UTC().Format(time.RFC3339))
			data["signing-key"] = newSigningKey()
			secret.Annotations[annotationRotatedFor] = want
			rotated, rotatedFor = true, ttl
		}
		if until, err := time.Parse(time.RFC3339, string(data["previous-valid-until"])); err == nil {
			if !now.Before(until) {
				delete(data, "previous-signing-key")
				delete(data, "previous-valid-until")
			} else {
				requeue = until.Sub(now) + time.Second
			}
		}
		secret.Data = data
		return controllerutil.SetControllerReference(se, secret, r.Scheme())
	})
	if err != nil {
		return 0, "", fmt.Errorf("ensure Secret %s: %w", secret.Name, err)
	}
	if rotated { // only once the new key is stored
		r.Recorder.Eventf(se, nil, corev1.EventTypeNormal, "SigningKeyRotated", "RotateKey", "rotated the token signing key; the previous one is accepted for %s", rotatedFor)
	}
	changed := ""
	if result == controllerutil.OperationResultUpdated {
		changed = secret.ResourceVersion
	}
	return requeue, changed, nil
}

func newSigningKey() []byte {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return []byte(hex.EncodeToString(b[:]))
}
