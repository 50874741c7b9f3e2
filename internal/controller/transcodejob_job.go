package controller

import (
	"path"
	"sort"
	"strconv"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
)

// TranscodeConfig is the operator-wide configuration of transcode Jobs.
type TranscodeConfig struct {
	// Image runs `streamgate transcode`; the operator's own image.
	Image string
	// MaxRunningPerNamespace caps the transcode Jobs running at once in one
	// namespace; the rest wait, first come first served. 0 means no cap.
	MaxRunningPerNamespace int
	// TTLSecondsAfterFinished lets Kubernetes delete finished Jobs (and
	// their pods); the TranscodeJob keeps the outcome.
	TTLSecondsAfterFinished int32
	// Preset is the x264 preset the worker uses.
	Preset string
	// IPFSAPI and IPFSGateway are the cluster's default IPFS node, for
	// ipfs:// sources that name none.
	IPFSAPI, IPFSGateway string
}

const (
	transcoderServiceAccount = "streamgate-transcoder"
	transcodeContainer       = "transcode"
	claimsRoot               = "/var/run/streamgate/claims"
	scratchDir               = "/scratch"
	workerBinary             = "/usr/local/bin/streamgate"
)

// defaultTranscodeResources apply when the spec names none, so that a
// namespace ResourceQuota always sees requests and limits.
func defaultTranscodeResources() corev1.ResourceRequirements {
	return corev1.ResourceRequirements{
		Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("1"),
			corev1.ResourceMemory: resource.MustParse("1Gi"),
		},
		Limits: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("4"),
			corev1.ResourceMemory: resource.MustParse("4Gi"),
		},
	}
}

// jobLabels are the labels of a TranscodeJob's Jobs and their pods; the
// TranscodeJob label is what the manager caches Jobs and pods by.
func jobLabels(tj *streamgatev1alpha1.TranscodeJob, component string) map[string]string {
	return map[string]string{labelName: "streamgate", labelComponent: component, labelManagedBy: managedByValue, labelTranscodeJob: tj.Name}
}

// buildTranscodeJob renders the batch/v1 Job of a TranscodeJob.
func buildTranscodeJob(tj *streamgatev1alpha1.TranscodeJob, cfg TranscodeConfig) *batchv1.Job {
	labels := jobLabels(tj, componentTranscode)
	if tj.Spec.VideoRef != nil {
		labels[labelVideo] = tj.Spec.VideoRef.Name
	}
	resources := defaultTranscodeResources()
	if tj.Spec.Resources != nil {
		resources = *tj.Spec.Resources.DeepCopy()
	}
	volumes, mounts := claimVolumes(tj)
	volumes = append(volumes, corev1.Volume{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
	mounts = append(mounts, corev1.VolumeMount{Name: "scratch", MountPath: scratchDir})

	preset := cfg.Preset
	if preset == "" {
		preset = "veryfast"
	}
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: tj.Name, Namespace: tj.Namespace, Labels: labels},
		Spec: batchv1.JobSpec{
			BackoffLimit:            ptr.To(ptr.Deref(tj.Spec.BackoffLimit, 3)),
			ActiveDeadlineSeconds:   ptr.To(ptr.Deref(tj.Spec.ActiveDeadlineSeconds, 3600)),
			TTLSecondsAfterFinished: ptr.To(cfg.TTLSecondsAfterFinished),
			PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
				{
					// The worker says "a retry cannot help" with these codes.
					Action: batchv1.PodFailurePolicyActionFailJob,
					OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
						ContainerName: ptr.To(transcodeContainer),
						Operator:      batchv1.PodFailurePolicyOnExitCodesOpIn,
						Values:        sortedCodes(media.PermanentExitCodes()),
					},
				},
				{
					// An evicted or preempted pod is not the transcode's fault.
					Action:          batchv1.PodFailurePolicyActionIgnore,
					OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
				},
			}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy:                corev1.RestartPolicyNever,
					ServiceAccountName:           transcoderServiceAccount,
					AutomountServiceAccountToken: ptr.To(true),
					SecurityContext:              restrictedPodSecurityContext(),
					Containers: []corev1.Container{{
						Name:    transcodeContainer,
						Image:   cfg.Image,
						Command: []string{workerBinary},
						Args: append([]string{"transcode",
							"--transcodejob=" + tj.Name,
							"--claims-root=" + claimsRoot,
							"--scratch-dir=" + scratchDir,
							"--preset=" + preset,
							// Named, not defaulted, so that a runtime which maps
							// paths (the local dev node) maps this one too.
							"--termination-log=" + corev1.TerminationMessagePathDefault,
						}, ipfsDefaultArgs(cfg)...),
						Env: append([]corev1.EnvVar{
							{Name: "POD_NAMESPACE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}},
							{Name: "TMPDIR", Value: scratchDir},
							{Name: "HOME", Value: scratchDir},
						}, storageCredentialEnv(tj)...),
						Resources:                resources,
						VolumeMounts:             mounts,
						TerminationMessagePath:   corev1.TerminationMessagePathDefault,
						TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
						SecurityContext:          restrictedContainerSecurityContext(),
					}},
					Volumes: volumes,
				},
			},
		},
	}
	return job
}

// claimVolumes mounts each claim the TranscodeJob names once, under its own
// name; a claim only read from is mounted read-only.
func claimVolumes(tj *streamgatev1alpha1.TranscodeJob) ([]corev1.Volume, []corev1.VolumeMount) {
	writable := map[string]bool{}
	var order []string
	if v := tj.Spec.Output.Volume; v != nil {
		writable[v.ClaimName] = true
		order = append(order, v.ClaimName)
	}
	if v := tj.Spec.Source.Volume; v != nil && !writable[v.ClaimName] {
		writable[v.ClaimName] = false
		order = append(order, v.ClaimName)
	}
	var volumes []corev1.Volume
	var mounts []corev1.VolumeMount
	for i, claim := range order {
		name := "claim-" + strconv.Itoa(i)
		volumes = append(volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim, ReadOnly: !writable[claim]},
		}})
		mounts = append(mounts, corev1.VolumeMount{Name: name, MountPath: path.Join(claimsRoot, claim), ReadOnly: !writable[claim]})
	}
	return volumes, mounts
}

func sortedCodes(codes []int32) []int32 {
	out := append([]int32(nil), codes...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// componentOutputCleanup labels the Jobs that remove a deleted
// TranscodeJob's ladder; they are not transcodes and take no queue slot.
const componentOutputCleanup = "output-cleanup"

// outputCleanupJobName names the Job that removes a TranscodeJob's ladder.
func outputCleanupJobName(tj *streamgatev1alpha1.TranscodeJob) string {
	return childName(tj.Name, "rm")
}

// buildOutputCleanupJob renders the Job that deletes a TranscodeJob's
// published ladder: the image's own binary, no API access. A volume's
// folder is removed with the claim mounted alone; a bucket's prefix with
// the output's credentials; an IPFS ladder is unpinned.
func buildOutputCleanupJob(tj *streamgatev1alpha1.TranscodeJob, cfg TranscodeConfig) *batchv1.Job {
	labels := jobLabels(tj, componentOutputCleanup)
	small := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")}
	container := corev1.Container{
		Name:                     transcodeContainer,
		Image:                    cfg.Image,
		Command:                  []string{workerBinary},
		Resources:                corev1.ResourceRequirements{Requests: small, Limits: small},
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		SecurityContext:          restrictedContainerSecurityContext(),
	}
	var volumes []corev1.Volume
	switch out := tj.Spec.Output; {
	case out.Volume != nil:
		mount := claimsRoot + "/" + out.Volume.ClaimName
		container.Args = []string{"transcode", "--claims-root=" + claimsRoot, "--remove-output=" + path.Join(mount, tj.Spec.OutputFolder())}
		container.VolumeMounts = []corev1.VolumeMount{{Name: "output", MountPath: mount}}
		volumes = []corev1.Volume{{Name: "output", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: out.Volume.ClaimName}}}}
	case out.ObjectStore != nil:
		conn := out.ObjectStore.S3Connection
		container.Args = []string{"transcode", "--remove-output=" + outputRemoved(tj),
			"--s3-endpoint=" + conn.Endpoint, "--s3-region=" + conn.Region,
			"--s3-path-style=" + strconv.FormatBool(conn.PathStyleOrDefault())}
		container.Env = s3CredentialEnv(conn, "OUTPUT")
	case out.IPFS != nil:
		container.Args = []string{"transcode", "--remove-output=" + outputRemoved(tj), "--ipfs-api=" + out.IPFS.API}
	}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: outputCleanupJobName(tj), Namespace: tj.Namespace, Labels: labels},
		Spec: batchv1.JobSpec{
			BackoffLimit:            ptr.To[int32](2),
			ActiveDeadlineSeconds:   ptr.To[int64](600),
			TTLSecondsAfterFinished: ptr.To(cfg.TTLSecondsAfterFinished),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy:                corev1.RestartPolicyNever,
					AutomountServiceAccountToken: ptr.To(false),
					SecurityContext:              restrictedPodSecurityContext(),
					Containers:                   []corev1.Container{container},
					Volumes:                      volumes,
				},
			},
		},
	}
}

// outputRemoved names what a TranscodeJob's cleanup removes: a folder on a
// claim, s3://bucket/prefix/revision/, or ipfs://CID.
func outputRemoved(tj *streamgatev1alpha1.TranscodeJob) string {
	switch out := tj.Spec.Output; {
	case out.Volume != nil:
		return tj.Spec.OutputFolder() + " from claim " + out.Volume.ClaimName
	case out.ObjectStore != nil:
		return "s3://" + out.ObjectStore.Bucket + "/" + tj.Spec.OutputFolder() + "/"
	case out.IPFS != nil && tj.Status.Playback != nil:
		return "ipfs://" + tj.Status.Playback.CID
	}
	return ""
}

// s3CredentialEnv passes an S3 connection's credentials from the tenant's
// Secret to the worker as PREFIX_S3_ACCESS_KEY_ID and
// PREFIX_S3_SECRET_ACCESS_KEY: the kubelet reads the Secret, so neither
// the manager nor the TranscodeJob ever holds them.
func s3CredentialEnv(conn streamgatev1alpha1.S3Connection, prefix string) []corev1.EnvVar {
	ref := func(key string) *corev1.EnvVarSource {
		return &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: conn.CredentialsSecretRef.Name}, Key: key}}
	}
	return []corev1.EnvVar{
		{Name: prefix + "_S3_ACCESS_KEY_ID", ValueFrom: ref(streamgatev1alpha1.S3AccessKeyIDKey)},
		{Name: prefix + "_S3_SECRET_ACCESS_KEY", ValueFrom: ref(streamgatev1alpha1.S3SecretAccessKeyKey)},
	}
}

// storageCredentialEnv are the credentials a transcode reads and writes with.
func storageCredentialEnv(tj *streamgatev1alpha1.TranscodeJob) []corev1.EnvVar {
	var env []corev1.EnvVar
	if c := tj.Spec.Source.S3; c != nil {
		env = append(env, s3CredentialEnv(*c, "SOURCE")...)
	}
	if o := tj.Spec.Output.ObjectStore; o != nil {
		env = append(env, s3CredentialEnv(o.S3Connection, "OUTPUT")...)
	}
	return env
}

func ipfsDefaultArgs(cfg TranscodeConfig) []string {
	var args []string
	if cfg.IPFSAPI != "" {
		args = append(args, "--ipfs-api="+cfg.IPFSAPI)
	}
	if cfg.IPFSGateway != "" {
		args = append(args, "--ipfs-gateway="+cfg.IPFSGateway)
	}
	return args
}
