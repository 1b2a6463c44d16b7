# Sourced by the benchmark scripts: the one definition of the servers they share, so
# that every benchmark measures against the same nginx floor. Needs $TMP and PIDS=().

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }

# start_nginx PORT VERIFY_ID: nginx on core 1 answering every request with a static
# validate success for VERIFY_ID (the shape the service sends), plus /nginx_status.
start_nginx() {
  local port=$1 vid=$2
  mkdir -p "$TMP/nginx/logs"
  cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx;
  uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location = /nginx_status { stub_status; }
    location / {
      default_type application/json;
      return 200 '{"data":{"verify_id":"$vid","message":"OTP verified successfully."}}';
    }
  }
}
CONF
  taskset -c 1 nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
  PIDS+=($!)
  wait_port "$port" nginx_status
}
