package io.fleetcast.agent.internal.lwm2m;

import io.fleetcast.agent.lwm2m.PackageException;
import io.fleetcast.agent.lwm2m.PackageInstaller;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.eclipse.leshan.core.response.ExecuteResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

/**
 * LwM2M object 5 (Firmware Update), instance 0, pull delivery only: the server writes a Package URI, the
 * device downloads it (State Downloading, then Downloaded), the server executes Update (State Updating),
 * and the outcome shows in Update Result. An empty Package URI resets the object and cancels a download.
 *
 * <p>Downloads and installs run on the object's own thread, so a CoAP request never waits for them.
 * State and result are guarded by this object; changes are announced to observers.
 */
public final class FirmwareInstance extends BaseInstanceEnabler {

    private static final Logger LOG = Logger.getLogger(FirmwareInstance.class.getName());

    static final int PACKAGE = 0;
    static final int PACKAGE_URI = 1;
    static final int UPDATE = 2;
    static final int STATE = 3;
    static final int UPDATE_RESULT = 5;
    static final int DELIVERY_METHOD = 9;

    static final int IDLE = 0;
    static final int DOWNLOADING = 1;
    static final int DOWNLOADED = 2;
    static final int UPDATING = 3;

    static final int RESULT_INITIAL = 0;
    static final int RESULT_SUCCESS = 1;
    private static final int DELIVERY_PULL = 0;

    private final PackageInstaller installer;
    private final Consumer<String> installed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleetcast-lwm2m-firmware");
        thread.setDaemon(true);
        return thread;
    });

    private String packageUri = "";
    private int state = IDLE;
    private int result = RESULT_INITIAL;
    private Future<?> task;

    /**
     * An object in state Idle with Update Result 0 (initial).
     *
     * @param installed told the firmware version running after an install that needed no reboot, on the
     *     worker thread
     */
    public FirmwareInstance(PackageInstaller installer, Consumer<String> installed) {
        this(installer, installed, IDLE, RESULT_INITIAL);
    }

    /**
     * An object that starts where the last run of the device left it: after a reboot into a new
     * firmware it is still Updating until the health check decides, see {@link #updateEnded}.
     */
    FirmwareInstance(PackageInstaller installer, Consumer<String> installed, int state, int result) {
        super(0);
        this.installer = installer;
        this.installed = installed;
        this.state = state;
        this.result = result;
    }

    /** An update the device rebooted for has ended with {@code updateResult}: Idle, and observers told. */
    public synchronized void updateEnded(int updateResult) {
        if (state == UPDATING || state == IDLE) {
            change(IDLE, updateResult);
        }
    }

    @Override
    public synchronized ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case PACKAGE_URI -> ReadResponse.success(resourceId, packageUri);
            case STATE -> ReadResponse.success(resourceId, (long) state);
            case UPDATE_RESULT -> ReadResponse.success(resourceId, (long) result);
            case DELIVERY_METHOD -> ReadResponse.success(resourceId, (long) DELIVERY_PULL);
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public WriteResponse write(LwM2mServer server, boolean replace, int resourceId, LwM2mResource value) {
        if (resourceId == PACKAGE) {
            return WriteResponse.badRequest("pull delivery only: write the Package URI");
        }
        if (resourceId != PACKAGE_URI) {
            return super.write(server, replace, resourceId, value);
        }
        String uri = String.valueOf(value.getValue()).trim();
        synchronized (this) {
            if (state == UPDATING) {
                return WriteResponse.badRequest("updating");
            }
            stopTask();
            packageUri = uri;
            if (uri.isEmpty()) {
                change(IDLE, RESULT_INITIAL);
                return WriteResponse.success();
            }
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                change(IDLE, PackageException.Reason.INVALID_URI.updateResult());
                return WriteResponse.success();
            }
            if (!"http".equalsIgnoreCase(parsed.getScheme()) && !"https".equalsIgnoreCase(parsed.getScheme())) {
                change(IDLE, PackageException.Reason.UNSUPPORTED_PROTOCOL.updateResult());
                return WriteResponse.success();
            }
            change(DOWNLOADING, RESULT_INITIAL);
            task = worker.submit(() -> download(parsed));
        }
        return WriteResponse.success();
    }

    @Override
    public ExecuteResponse execute(LwM2mServer server, int resourceId, Arguments arguments) {
        if (resourceId != UPDATE) {
            return super.execute(server, resourceId, arguments);
        }
        synchronized (this) {
            if (state != DOWNLOADED) {
                return ExecuteResponse.badRequest("no package downloaded");
            }
            change(UPDATING, RESULT_INITIAL);
            task = worker.submit(this::install);
        }
        return ExecuteResponse.success();
    }

    private void download(URI uri) {
        try {
            installer.download(uri);
            synchronized (this) {
                if (state == DOWNLOADING && !Thread.currentThread().isInterrupted()) {
                    change(DOWNLOADED, RESULT_INITIAL);
                }
            }
        } catch (PackageException e) {
            LOG.log(Level.INFO, "Firmware download failed: {0} ({1})", new Object[] {e.reason(), e.getMessage()});
            fail(DOWNLOADING, e.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // canceled by an empty Package URI; the writer reset the state
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Firmware download failed", e);
            fail(DOWNLOADING, PackageException.Reason.CONNECTION_LOST);
        }
    }

    private void install() {
        try {
            String version = installer.install();
            if (version == null) {
                // The device reboots into the new firmware: Updating until the next start has its outcome.
                return;
            }
            synchronized (this) {
                change(IDLE, RESULT_SUCCESS);
            }
            installed.accept(version);
        } catch (PackageException e) {
            LOG.log(Level.INFO, "Firmware install failed: {0} ({1})", new Object[] {e.reason(), e.getMessage()});
            fail(UPDATING, e.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(UPDATING, PackageException.Reason.UPDATE_FAILED);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Firmware install failed", e);
            fail(UPDATING, PackageException.Reason.UPDATE_FAILED);
        }
    }

    private synchronized void fail(int during, PackageException.Reason reason) {
        if (state == during) {
            change(IDLE, reason.updateResult());
        }
    }

    private void stopTask() {
        if (task != null) {
            task.cancel(true);
            task = null;
        }
    }

    /** Sets state and result and tells observers; called holding this object's lock. */
    private void change(int newState, int newResult) {
        boolean stateChanged = state != newState;
        boolean resultChanged = result != newResult;
        state = newState;
        result = newResult;
        // Result first: a server that sees Idle after Updating looks for the outcome right away.
        if (resultChanged) {
            fireResourceChange(UPDATE_RESULT);
        }
        if (stateChanged) {
            fireResourceChange(STATE);
        }
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return List.of(PACKAGE, PACKAGE_URI, UPDATE, STATE, UPDATE_RESULT, DELIVERY_METHOD);
    }

    /** Stops a download or install in progress; the worker thread ends. */
    public void close() {
        worker.shutdownNow();
    }
}
