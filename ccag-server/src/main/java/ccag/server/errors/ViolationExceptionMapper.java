package ccag.server.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Bean-validation failures of request bodies. Jersey's own mapper for {@code ValidationException}
 * (a bare 400 without the field) would otherwise win over the catch-all {@link FallbackExceptionMapper}.
 */
@Provider
public final class ViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {
    @Context
    private HttpServletRequest request;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        String id = RequestIds.of(request);
        return ErrorResponses.of(new FallbackExceptionMapper().classify(e, id), id);
    }
}
