package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	streamgatev1alpha1 "github.com/streamgate-io/streamgate/api/v1alpha1"
	"github.com/streamgate-io/streamgate/internal/media"
	"github.com/streamgate-io/streamgate/internal/redact"
)

type transcodeOptions struct {
	transcodeJob     string
	namespace        string
	claimsRoot       string
	scratchDir       string
	terminationLog   string
	progressInterval time.Duration
	preset           string
	storage          storageOptions

	// Direct input, without a TranscodeJob.
	sourceURL, sourcePath, sha256, ladder, outputDir string
	audioKbps, segmentSeconds                        int
}

// runTranscode is the worker of a TranscodeJob's Job: it transcodes, reports
// progress into the TranscodeJob's status, leaves a JSON summary in the
// termination message and exits with a code that tells whether a retry can
// help.
func runTranscode(args []string) error {
	var opts transcodeOptions
	fs := newFlagSet("transcode")
	fs.StringVar(&opts.transcodeJob, "transcodejob", os.Getenv("TRANSCODEJOB_NAME"), "TranscodeJob to run (default $TRANSCODEJOB_NAME)")
	fs.StringVar(&opts.namespace, "namespace", os.Getenv("POD_NAMESPACE"), "namespace of the TranscodeJob (default $POD_NAMESPACE)")
	fs.StringVar(&opts.claimsRoot, "claims-root", "/var/run/streamgate/claims", "folder where each PersistentVolumeClaim is mounted under its name")
	fs.StringVar(&opts.scratchDir, "scratch-dir", os.TempDir(), "folder for the downloaded source")
	fs.StringVar(&opts.terminationLog, "termination-log", "/dev/termination-log", "file that receives the JSON summary")
	fs.DurationVar(&opts.progressInterval, "progress-interval", 3*time.Second, "least time between two progress updates")
	fs.StringVar(&opts.preset, "preset", "veryfast", "x264 preset")
	fs.StringVar(&opts.sourceURL, "source-url", "", "without --transcodejob: http(s) URL of the source")
	fs.StringVar(&opts.sourcePath, "source-path", "", "without --transcodejob: local path of the source")
	fs.StringVar(&opts.sha256, "sha256", "", "without --transcodejob: expected SHA-256 of the source")
	fs.StringVar(&opts.ladder, "ladder", "", "without --transcodejob: NAME:HEIGHT:KBPS,... (default: 1080p/720p/480p/360p)")
	fs.StringVar(&opts.outputDir, "output-dir", "", "without --transcodejob: folder that receives the ladder")
	fs.IntVar(&opts.audioKbps, "audio-kbps", 128, "without --transcodejob: AAC bitrate")
	fs.IntVar(&opts.segmentSeconds, "segment-seconds", 4, "without --transcodejob: HLS segment length")
	fs.StringVar(&opts.storage.ipfsAPI, "ipfs-api", "", "the cluster's default IPFS node (kubo RPC URL) for ipfs:// sources without source.ipfs; with --remove-output=ipfs://CID, the node to unpin from")
	fs.StringVar(&opts.storage.ipfsGateway, "ipfs-gateway", "", "the cluster's default IPFS gateway for ipfs:// sources without source.ipfs")
	fs.DurationVar(&opts.storage.ipfsTimeout, "ipfs-timeout", 2*time.Minute, "how long IPFS may take to find content before the transcode fails as ContentNotRetrievable (retried)")
	removeOutput := fs.String("remove-output", "", "remove this published ladder and exit: a folder inside --claims-root, s3://bucket/prefix/ (with --s3-* and $OUTPUT_S3_*), or ipfs://CID (unpinned from --ipfs-api); a superseded TranscodeJob's cleanup")
	var removeConn streamgatev1alpha1.S3Connection
	removePathStyle := true
	fs.StringVar(&removeConn.Endpoint, "s3-endpoint", "", "with --remove-output=s3://...: the store's endpoint")
	fs.StringVar(&removeConn.Region, "s3-region", "us-east-1", "with --remove-output=s3://...: the bucket's region")
	fs.BoolVar(&removePathStyle, "s3-path-style", true, "with --remove-output=s3://...: path-style bucket addressing")
	config.RegisterFlags(fs)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := redact.Logger(zap.New(zap.UseFlagOptions(&zapOpts))).WithName("transcode")
	ctrl.SetLogger(log)
	if *removeOutput != "" {
		removeConn.PathStyle = &removePathStyle
		var err error
		if strings.HasPrefix(*removeOutput, "s3://") || strings.HasPrefix(*removeOutput, "ipfs://") {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			err = opts.storage.removeStoredOutput(ctx, *removeOutput, removeConn)
			cancel()
		} else {
			err = media.RemoveOutput(opts.claimsRoot, *removeOutput)
		}
		if err != nil {
			return err
		}
		log.Info("removed", "output", *removeOutput)
		return nil
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	job, reporter, err := opts.job(ctx, log)
	if err != nil {
		return finish(log, opts.terminationLog, nil, err)
	}
	job.OnProgress = reporter.report
	output := job.OutputDir
	if job.Publisher != nil {
		output = job.Publisher.String()
	}
	log.Info("transcoding", "source", describeSource(job), "output", output, "renditions", len(job.Ladder))
	res, err := media.Transcode(ctx, job)
	reporter.flush(ctx)
	return finish(log, opts.terminationLog, res, err)
}

// finish writes the summary and turns the outcome into the exit code.
func finish(log logr.Logger, terminationLog string, res *media.Result, err error) error {
	summary := media.SummaryOf(res, err)
	if werr := os.WriteFile(terminationLog, summary.Marshal(), 0o644); werr != nil {
		log.Error(werr, "cannot write the termination message", "path", terminationLog)
	}
	if err != nil {
		e := media.AsError(err)
		log.Error(err, "transcode failed", "reason", e.Reason, "retriable", e.Retriable)
		os.Exit(media.ExitCode(err))
	}
	log.Info("transcode done", "result", res.String(), "dropped", res.Dropped)
	return nil
}

// job resolves the input, from the TranscodeJob or from flags.
func (o *transcodeOptions) job(ctx context.Context, log logr.Logger) (media.Job, *progressReporter, error) {
	job := media.Job{ScratchDir: o.scratchDir, Preset: o.preset, HTTPClient: &http.Client{Timeout: 30 * time.Minute}}
	if o.transcodeJob == "" {
		ladder, err := parseLadderFlag(o.ladder)
		if err != nil {
			return job, &progressReporter{}, &media.Error{Reason: media.ReasonInvalidInput, Message: err.Error()}
		}
		job.SourceURL, job.SourcePath, job.SHA256 = o.sourceURL, o.sourcePath, o.sha256
		job.Ladder, job.AudioKbps, job.SegmentSeconds = ladder, o.audioKbps, o.segmentSeconds
		job.OutputDir, _ = filepath.Abs(o.outputDir)
		return job, &progressReporter{log: log}, nil
	}

	if o.namespace == "" {
		return job, &progressReporter{}, &media.Error{Reason: media.ReasonInvalidInput, Message: "--namespace (or $POD_NAMESPACE) is required with --transcodejob"}
	}
	restConfig, err := ctrl.GetConfig()
	if err != nil {
		return job, &progressReporter{}, &media.Error{Reason: media.ReasonTranscodeFailed, Message: "load kubeconfig", Retriable: true, Err: err}
	}
	k8s, err := client.New(restConfig, client.Options{Scheme: newScheme()})
	if err != nil {
		return job, &progressReporter{}, &media.Error{Reason: media.ReasonTranscodeFailed, Message: "create client", Retriable: true, Err: err}
	}
	var tj streamgatev1alpha1.TranscodeJob
	key := types.NamespacedName{Namespace: o.namespace, Name: o.transcodeJob}
	if err := k8s.Get(ctx, key, &tj); err != nil {
		return job, &progressReporter{}, &media.Error{Reason: media.ReasonTranscodeFailed, Message: fmt.Sprintf("get TranscodeJob %s", key), Retriable: true, Err: err}
	}
	spec := tj.Spec
	remote, err := o.storage.remoteSource(spec.Source)
	if err != nil {
		return job, &progressReporter{}, err
	}
	switch {
	case remote != nil:
		job.Remote = remote
	case spec.Source.URL != "":
		job.SourceURL = spec.Source.URL
	case spec.Source.Volume != nil:
		job.SourcePath = filepath.Join(o.claimsRoot, spec.Source.Volume.ClaimName, spec.Source.Volume.Path)
	}
	job.SHA256 = spec.Source.SHA256
	for _, r := range spec.Ladder {
		job.Ladder = append(job.Ladder, media.Rendition{Name: r.Name, Height: int(r.Height), VideoKbps: int(r.VideoKbps)})
	}
	job.AudioKbps, job.SegmentSeconds = int(spec.AudioKbps), int(spec.SegmentSeconds)
	// A folder of its own, named by the spec's hash: nothing published
	// before is ever overwritten.
	if job.Publisher, err = o.storage.publisher(&spec); err != nil {
		return job, &progressReporter{}, err
	}
	if spec.Output.Volume != nil {
		job.OutputDir = filepath.Join(o.claimsRoot, spec.Output.Volume.ClaimName, spec.OutputFolder())
	}
	return job, &progressReporter{log: log, k8s: k8s, tj: &tj, interval: o.progressInterval}, nil
}

// progressReporter patches status.progress of the TranscodeJob, at most once
// per interval: the API server is shared and progress is only a hint.
type progressReporter struct {
	log      logr.Logger
	k8s      client.Client
	tj       *streamgatev1alpha1.TranscodeJob
	interval time.Duration

	mu       sync.Mutex
	latest   int
	sent     int
	lastSent time.Time
}

func (p *progressReporter) report(percent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.latest = percent
	if p.k8s == nil || time.Since(p.lastSent) < p.interval {
		return
	}
	p.sendLocked(context.Background())
}

// flush sends the last value if it was held back by the interval.
func (p *progressReporter) flush(ctx context.Context) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.k8s != nil && p.latest != p.sent {
		p.sendLocked(ctx)
	}
}

func (p *progressReporter) sendLocked(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	patch := client.RawPatch(types.MergePatchType, []byte(`{"status":{"progress":`+strconv.Itoa(p.latest)+`}}`))
	if err := p.k8s.Status().Patch(ctx, p.tj, patch); err != nil {
		// Progress is advisory: a failed update must not fail the transcode.
		p.log.Error(err, "cannot report progress", "percent", p.latest)
		return
	}
	p.sent, p.lastSent = p.latest, time.Now()
}

// parseLadderFlag reads NAME:HEIGHT:KBPS,...
func parseLadderFlag(s string) ([]media.Rendition, error) {
	if s == "" {
		return media.DefaultLadder(), nil
	}
	var ladder []media.Rendition
	for _, item := range strings.Split(s, ",") {
		parts := strings.Split(item, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("--ladder item %q: want NAME:HEIGHT:KBPS", item)
		}
		height, err1 := strconv.Atoi(parts[1])
		kbps, err2 := strconv.Atoi(parts[2])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("--ladder item %q: %w", item, err)
		}
		ladder = append(ladder, media.Rendition{Name: parts[0], Height: height, VideoKbps: kbps})
	}
	return ladder, nil
}

func describeSource(job media.Job) string {
	if job.Remote != nil {
		return job.Remote.Name
	}
	if job.SourceURL != "" {
		if i := strings.IndexAny(job.SourceURL, "?#"); i >= 0 {
			return job.SourceURL[:i]
		}
		return job.SourceURL
	}
	return job.SourcePath
}
