package devcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"
)

func storageClass() *storagev1.StorageClass {
	immediate := storagev1.VolumeBindingImmediate
	reclaim := corev1.PersistentVolumeReclaimDelete
	return &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{Name: StorageClassName, Annotations: map[string]string{
			"storageclass.kubernetes.io/is-default-class": "true",
		}},
		Provisioner:       provisionerName,
		ReclaimPolicy:     &reclaim,
		VolumeBindingMode: &immediate,
	}
}

// provisionVolumes gives every pending claim of the local StorageClass a
// folder-backed PersistentVolume bound to it (the controller manager does the
// binding), and removes the folder of a released volume: what a CSI driver's
// external-provisioner does, for one machine.
func provisionVolumes(ctx context.Context, client kubernetes.Interface, root string, log logr.Logger) {
	factory := informers.NewSharedInformerFactory(client, 10*time.Minute)
	claims := factory.Core().V1().PersistentVolumeClaims().Informer()
	volumes := factory.Core().V1().PersistentVolumes().Informer()
	provision := func(obj any) {
		claim, ok := obj.(*corev1.PersistentVolumeClaim)
		if !ok || claim.Spec.VolumeName != "" || ptr.Deref(claim.Spec.StorageClassName, "") != StorageClassName {
			return
		}
		if err := provisionClaim(ctx, client, root, claim); err != nil {
			log.Error(err, "provision", "claim", claim.Namespace+"/"+claim.Name)
		}
	}
	release := func(obj any) {
		pv, ok := obj.(*corev1.PersistentVolume)
		if !ok || pv.Spec.StorageClassName != StorageClassName || pv.Status.Phase != corev1.VolumeReleased {
			return
		}
		if err := os.RemoveAll(pv.Spec.HostPath.Path); err != nil {
			log.Error(err, "remove released volume", "volume", pv.Name)
			return
		}
		if err := client.CoreV1().PersistentVolumes().Delete(ctx, pv.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			log.Error(err, "delete released volume", "volume", pv.Name)
		}
	}
	_, _ = claims.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: provision, UpdateFunc: func(_, obj any) { provision(obj) }})
	_, _ = volumes.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: release, UpdateFunc: func(_, obj any) { release(obj) }})
	factory.Start(ctx.Done())
	<-ctx.Done()
	factory.Shutdown()
}

func provisionClaim(ctx context.Context, client kubernetes.Interface, root string, claim *corev1.PersistentVolumeClaim) error {
	name := "pvc-" + string(claim.UID)
	dir := filepath.Join(root, name)
	// Pods run as non-root users of their own: the folder is theirs to write.
	err := os.MkdirAll(dir, 0o777)
	if err == nil {
		err = os.Chmod(dir, 0o777)
	}
	if err != nil {
		return err
	}
	capacity := claim.Spec.Resources.Requests[corev1.ResourceStorage]
	directory := corev1.HostPathDirectory
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisionerName}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: capacity},
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			StorageClassName:              StorageClassName,
			VolumeMode:                    claim.Spec.VolumeMode,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: dir, Type: &directory}},
			ClaimRef: &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID},
		},
	}
	if _, err := client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create PersistentVolume %s: %w", name, err)
	}
	return nil
}
