package realnode

import (
	"bytes"
	"fmt"
	"os"
	"text/template"

	"github.com/streamgate-io/streamgate/internal/devcluster/proc"
)

// The node's configuration files. Everything listens on the node IP (on
// the node's own bridge) or 127.0.0.1, and lives under the node's folder.
var configs = map[string]*template.Template{
	"etc/containerd.toml": template.Must(template.New("").Parse(`version = 2
root = "{{.Dir}}/containerd/root"
state = "{{.Dir}}/containerd/state"
[grpc]
  address = "{{.Dir}}/run/containerd.sock"
[ttrpc]
  address = "{{.Dir}}/run/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{{.PauseImage}}"
  netns_mounts_under_state_dir = true
  enable_cdi = false
  # Machines that drop CAP_SYS_RESOURCE cannot give the pause sandbox an
  # oom_score_adj below 0; containerd then keeps the value it can set.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "{{.Dir}}/cni/net.d"
`)),
	"cni/net.d/10-streamgate.conflist": template.Must(template.New("").Parse(`{
  "cniVersion": "0.4.0",
  "name": "streamgate",
  "plugins": [
    {"type": "bridge", "bridge": "{{.Bridge}}", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "{{.Dir}}/cni/ipam", "ranges": [[{"subnet": "{{.PodCIDR}}", "gateway": "{{.NodeIP}}"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
`)),
	"etc/kubelet.yaml": template.Must(template.New("").Parse(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: {{.NodeIP}}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
tlsCertFile: {{.KubeletCert}}
tlsPrivateKeyFile: {{.KubeletKey}}
# Only the API server (a client certificate of the cluster CA) talks to it.
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: {{.CAFile}}}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
failSwapOn: false
# cgroup v1 hosts too: the kubelet warns rather than refuse.
failCgroupV1: false
containerRuntimeEndpoint: unix://{{.Dir}}/run/containerd.sock
imageServiceEndpoint: unix://{{.Dir}}/run/containerd.sock
podLogsDir: {{.Dir}}/pod-logs
clusterDomain: cluster.local
clusterDNS: [{{.ClusterDNS}}]
resolvConf: /etc/resolv.conf
# Images are imported, never pulled: garbage collection must not remove them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "200Mi", nodefs.available: "1%", imagefs.available: "1%"}
maxPods: 60
registerNode: true
`)),
	"etc/kube-proxy.yaml": template.Must(template.New("").Parse(`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: {{.Dir}}/etc/kube-proxy.kubeconfig
hostnameOverride: {{.Name}}
mode: iptables
clusterCIDR: {{.PodCIDR}}
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:{{.ProxyHealthzPort}}
metricsBindAddress: 127.0.0.1:{{.ProxyMetricsPort}}
nodePortAddresses: ["{{.NodeIP}}/32"]
iptables:
  localhostNodePorts: false
# Host conntrack sysctls stay as they are.
conntrack:
  maxPerCore: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`)),
	"etc/kubelet.kubeconfig":    kubeconfigTemplate("NodeCert", "NodeKey"),
	"etc/kube-proxy.kubeconfig": kubeconfigTemplate("ProxyCert", "ProxyKey"),
}

func kubeconfigTemplate(cert, key string) *template.Template {
	return template.Must(template.New("").Parse(`apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "{{.APIServer}}", certificate-authority: "{{.CAFile}}"}
users:
- name: user
  user: {client-certificate: "{{.` + cert + `}}", client-key: "{{.` + key + `}}"}
contexts:
- name: local
  context: {cluster: local, user: user}
current-context: local
`))
}

func (n *Node) writeConfig() error {
	ports, err := proc.FreePorts(2)
	if err != nil {
		return err
	}
	values := struct {
		Options
		NodeIP                             string
		PauseImage                         string
		ProxyHealthzPort, ProxyMetricsPort int
	}{n.opts, n.NodeIP.String(), PauseImage, ports[0], ports[1]}
	for file, t := range configs {
		var b bytes.Buffer
		if err := t.Execute(&b, values); err != nil {
			return fmt.Errorf("render %s: %w", file, err)
		}
		if err := os.WriteFile(n.path(file), b.Bytes(), 0o600); err != nil {
			return err
		}
	}
	return nil
}
