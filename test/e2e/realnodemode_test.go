//go:build e2e && e2e_real

package e2e_test

// realNode: this build of the suite runs on a real node (make
// test-e2e-real): kubelet, kube-proxy, containerd and CoreDNS.
const realNode = true
